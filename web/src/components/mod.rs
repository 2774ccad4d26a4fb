//! The views, one component (or a small family) per file.

pub mod certificates;
pub mod check_view;
pub mod confirm;
pub mod connection;
pub mod create;
pub mod destination_picker;
pub mod diagnostics;
pub mod editor;
pub mod manage;
pub mod manage_access;
pub mod manage_anthropic;
pub mod manage_gateway;
pub mod manage_mtls;
pub mod monitor;
pub mod peer_test;
pub mod upload;
pub mod validity;
