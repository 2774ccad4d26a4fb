#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod context;
pub mod error;
pub mod state;
pub mod worker;
