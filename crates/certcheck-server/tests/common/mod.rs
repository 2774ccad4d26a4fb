//! Starting the real `certcheck-server` binary on a free loopback port, and small HTTP helpers.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// Every variable an HTTP client might take a proxy from.
pub const PROXY_VARIABLES: [&str; 8] =
    ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

/// A running server; killed when dropped. Its log (stdout) is read as it comes, so a chatty
/// server never blocks on a full pipe.
pub struct Server {
    pub child: Child,
    pub base: String,
    log: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts `certcheck-server --listen 127.0.0.1:0 <args>` and waits for its URL line.
    pub fn start(args: &[&str]) -> Server {
        Self::start_with_env(args, &[])
    }

    /// The same with these environment variables; the proxy variables of the environment the
    /// tests run in are never passed on (the tests that want them set them here).
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_certcheck-server"));
        for name in PROXY_VARIABLES {
            command.env_remove(name);
        }
        let mut child = command
            .envs(env.iter().copied())
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start certcheck-server");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the URL line");
        let base = line.split("listening on ").nth(1).expect("a URL line").trim().trim_end_matches('/').to_owned();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(read) = stdout.read(&mut chunk) {
                if read == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..read]));
            }
        });
        Server { child, base, log, reader: Some(reader) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server (SIGKILL: no chance to flush anything) and returns what it logged.
    pub fn kill(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.log()
    }

    /// What the server has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().expect("client")
}

/// Sends a request and returns the status and the JSON body.
pub async fn call(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub fn fixture(path: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/");
    std::fs::read_to_string(format!("{root}{path}")).expect("fixture")
}

/// Splits a PEM file into its certificate blocks and its private-key block.
pub fn split_key(pem: &str) -> (String, String) {
    let start = pem
        .match_indices("-----BEGIN ")
        .map(|(i, _)| i)
        .find(|&i| pem[i..].lines().next().is_some_and(|line| line.contains("PRIVATE KEY")))
        .expect("a private key block");
    (pem[..start].to_owned(), pem[start..].to_owned())
}
