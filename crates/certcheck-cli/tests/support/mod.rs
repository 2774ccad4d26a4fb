//! What the vendor tests run against: the real `certcheck-server --sandbox` on a free loopback
//! port (built by this harness when needed, in the same target directory), a loopback proxy that
//! misbehaves on purpose (drops the connection after or instead of forwarding a write, echoes
//! the caller's credentials in an error), fresh certificates made with rcgen, and a runner for
//! the `certcheck` binary that checks every output for the tokens.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use serde_json::Value;

/// Both generations' `anthropic-beta` (a comma-separated list is allowed), for the direct calls
/// below, which may name either; Cloudflare ignores the header.
const BETAS: &str = "mcp-tunnels-2026-05-19, mcp-tunnels-2026-06-22";

pub const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
pub const ANTHROPIC_TOKEN: &str = "sk-ant-oat01-test-token-never-printed";
pub const CLOUDFLARE_TOKEN: &str = "cf-test-token-never-printed-0123456789";
/// The time every fixture is judged at (tests/data/README.md): the CLI's `--now` (through
/// `CERTCHECK_NOW` in [`Cli::new`]) and the sandbox's clock.
pub const NOW: &str = "2026-11-22T00:00:00Z";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixture(path: &str) -> String {
    root().join(path).to_str().unwrap().to_owned()
}

/// The newest modification time of the files under `dir`.
fn newest(dir: &Path) -> std::time::SystemTime {
    let mut newest = std::time::SystemTime::UNIX_EPOCH;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let time = if path.is_dir() { newest_of(&path) } else { entry.metadata().and_then(|m| m.modified()).ok() };
        newest = newest.max(time.unwrap_or(newest));
    }
    newest
}

fn newest_of(dir: &Path) -> Option<std::time::SystemTime> {
    Some(newest(dir))
}

/// The sandbox binary: in this test's profile directory (`target/<profile>/`), where
/// `cargo test --workspace` puts it. When it is missing or older than the sources it is built
/// from (`cargo test -p certcheck-cli` alone builds no other package's binary), this harness
/// builds it with the same cargo into the same target directory.
fn server_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
        let binary = profile_dir.join(format!("certcheck-server{}", std::env::consts::EXE_SUFFIX));
        let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
        let sources = ["crates/certcheck-server/src", "crates/certcheck-api/src", "crates/certcheck/src"]
            .iter()
            .map(|dir| newest(&root().join(dir)))
            .max()
            .unwrap();
        if built.is_none_or(|built| built < sources) {
            let release = profile_dir.file_name().is_some_and(|n| n == "release");
            let target_dir = profile_dir.parent().unwrap();
            let mut cargo = Command::new(env!("CARGO"));
            cargo
                .args(["build", "--quiet", "-p", "certcheck-server"])
                .env("CARGO_TARGET_DIR", target_dir)
                .current_dir(root());
            if release {
                cargo.arg("--release");
            }
            let status = cargo.status().expect("run cargo build -p certcheck-server");
            assert!(status.success(), "cargo build -p certcheck-server failed");
        }
        assert!(binary.exists(), "no certcheck-server at {}", binary.display());
        binary
    })
}

/// `certcheck-server --sandbox` on a free loopback port, killed when dropped.
pub struct Sandbox {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Sandbox {
    pub fn start() -> Sandbox {
        let mut child = Command::new(server_binary())
            .args(["--sandbox", "--sandbox-clock", NOW, "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start certcheck-server");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let base = line.split("listening on ").nth(1).expect("a URL line").trim().trim_end_matches('/').to_owned();
        // Keep draining its log so that it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Sandbox { child, base }
    }

    /// `host:port`.
    pub fn address(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    /// A GET straight to the sandbox (not through certcheck): the JSON answer.
    pub fn get(&self, path: &str) -> Value {
        let mut response = ureq::get(format!("{}{path}", self.base))
            .header("authorization", "Bearer direct")
            .header("anthropic-beta", BETAS)
            .call()
            .unwrap();
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
    }

    /// A POST straight to the sandbox.
    pub fn post(&self, path: &str, body: &Value) -> Value {
        let mut response = ureq::post(format!("{}{path}", self.base))
            .header("authorization", "Bearer direct")
            .header("anthropic-beta", BETAS)
            .header("content-type", "application/json")
            .send(body.to_string())
            .unwrap();
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
    }

    /// A PUT straight to the sandbox.
    pub fn put(&self, path: &str, body: &Value) -> Value {
        let mut response = ureq::put(format!("{}{path}", self.base))
            .header("authorization", "Bearer direct")
            .header("content-type", "application/json")
            .send(body.to_string())
            .unwrap();
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
    }

    /// A DELETE straight to the sandbox (its status).
    pub fn delete(&self, path: &str) -> u16 {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        agent
            .delete(format!("{}{path}", self.base))
            .header("authorization", "Bearer direct")
            .call()
            .unwrap()
            .status()
            .as_u16()
    }

    /// Ids of an Anthropic tunnel's certificates (archived too), straight from the sandbox.
    pub fn tunnel_ids(&self, tunnel: &str, archived: bool) -> Vec<String> {
        let list = self.get(&format!("/v1/tunnels/{tunnel}/certificates?include_archived={archived}&limit=1000"));
        ids(&list["data"])
    }

    /// Ids in a Cloudflare list (first page of 50), straight from the sandbox.
    pub fn cloudflare_ids(&self, path: &str) -> Vec<String> {
        ids(&self.get(&format!("/client/v4/accounts/{ACCOUNT}/{path}?per_page=50"))["result"])
    }
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the proxy does with a request that changes something (anything but GET).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misbehave {
    /// Forwards it, reads the sandbox's answer, then closes the client's connection without a
    /// word: the write landed, the client never learns it.
    ForwardThenDrop,
    /// Closes the client's connection without forwarding: nothing landed.
    DropWithoutForwarding,
    /// Forwards it, then holds the client's connection open without answering (a timeout).
    ForwardThenHang,
    /// Answers 400 in the vendor's envelope with the caller's credentials in the message.
    EchoCredentials,
}

/// A loopback proxy to the sandbox; GETs pass through, writes misbehave. Counts the writes.
pub struct Proxy {
    pub base: String,
    writes: Arc<AtomicUsize>,
}

impl Proxy {
    pub fn start(upstream: String, misbehave: Misbehave) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let writes = Arc::new(AtomicUsize::new(0));
        let counter = writes.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (upstream, counter) = (upstream.clone(), counter.clone());
                std::thread::spawn(move || serve(stream, &upstream, misbehave, &counter));
            }
        });
        Proxy { base, writes }
    }

    /// Requests other than GET seen so far.
    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and content-length body).
fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut data = Vec::new();
    let mut byte = [0u8; 1];
    while !data.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        data.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&data).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some((head, body))
}

/// Sends the request to the sandbox on a connection of its own and returns the raw answer.
fn forward(upstream: &str, head: &str, body: &[u8]) -> Vec<u8> {
    let mut lines: Vec<&str> =
        head.trim_end().split("\r\n").filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
    lines.push("connection: close");
    let mut sandbox = TcpStream::connect(upstream).unwrap();
    sandbox.write_all(format!("{}\r\n\r\n", lines.join("\r\n")).as_bytes()).unwrap();
    sandbox.write_all(body).unwrap();
    let mut answer = Vec::new();
    sandbox.read_to_end(&mut answer).unwrap();
    answer
}

fn serve(mut client: TcpStream, upstream: &str, misbehave: Misbehave, writes: &AtomicUsize) {
    let Some((head, body)) = read_request(&mut client) else { return };
    let method = head.split(" ").next().unwrap_or_default().to_owned();
    if method == "GET" {
        let answer = forward(upstream, &head, &body);
        let _ = client.write_all(&answer);
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    writes.fetch_add(1, Ordering::SeqCst);
    match misbehave {
        Misbehave::ForwardThenDrop => {
            let _ = forward(upstream, &head, &body);
            let _ = client.shutdown(Shutdown::Both);
        }
        Misbehave::DropWithoutForwarding => {
            let _ = client.shutdown(Shutdown::Both);
        }
        Misbehave::ForwardThenHang => {
            let _ = forward(upstream, &head, &body);
            std::thread::sleep(std::time::Duration::from_secs(30));
        }
        Misbehave::EchoCredentials => {
            let credentials: Vec<&str> = head
                .split("\r\n")
                .filter(|l| {
                    ["authorization:", "x-auth-key:", "x-auth-email:"]
                        .iter()
                        .any(|h| l.to_ascii_lowercase().starts_with(h))
                })
                .collect();
            let message = format!("rejected credentials: {}", credentials.join(" / "));
            let body = if head.contains("/v1/") {
                serde_json::json!({ "type": "error", "error": { "type": "invalid_request_error", "message": message }, "request_id": "req_echo" })
            } else {
                serde_json::json!({ "success": false, "errors": [{ "code": 10000, "message": message }], "messages": [], "result": null })
            }
            .to_string();
            let answer = format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = client.write_all(answer.as_bytes());
            let _ = client.shutdown(Shutdown::Both);
        }
    }
}

/// One run of `certcheck`.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

/// Runs `certcheck` with only the given environment (the vendors' variables and proxies of the
/// machine are removed), and asserts that no token reaches stdout or stderr.
pub fn certcheck(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_certcheck"));
    command.args(args).current_dir(root()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (name, _) in std::env::vars() {
        let upper = name.to_ascii_uppercase();
        if upper.starts_with("ANTHROPIC_")
            || upper.starts_with("CLOUDFLARE_")
            || upper.ends_with("_PROXY")
            || upper == "CERTCHECK_NOW"
        {
            command.env_remove(&name);
        }
    }
    command.envs(env.iter().copied());
    let mut child = command.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(data) = stdin {
        pipe.write_all(data).unwrap();
    }
    drop(pipe);
    let output = child.wait_with_output().unwrap();
    let run = Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for token in [ANTHROPIC_TOKEN, CLOUDFLARE_TOKEN] {
        assert!(
            !run.stdout.contains(token) && !run.stderr.contains(token),
            "a token leaked from {args:?}:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

/// The environment of a pipeline against `base` (both vendors, the sandbox's root paths).
pub fn vendors(base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("ANTHROPIC_AUTH_TOKEN", ANTHROPIC_TOKEN.to_owned()),
        ("ANTHROPIC_BASE_URL", base.to_owned()),
        ("CLOUDFLARE_API_TOKEN", CLOUDFLARE_TOKEN.to_owned()),
        ("CLOUDFLARE_BASE_URL", format!("{base}/client/v4")),
        ("CLOUDFLARE_ACCOUNT_ID", ACCOUNT.to_owned()),
    ]
}

/// A runner bound to an environment.
pub struct Cli {
    env: Vec<(&'static str, String)>,
}

impl Cli {
    /// A runner with `env`; every command judges at [`NOW`] (through `CERTCHECK_NOW`), as the
    /// sandbox's clock stands, so the tests pass on any day.
    pub fn new(mut env: Vec<(&'static str, String)>) -> Cli {
        if !env.iter().any(|(name, _)| *name == "CERTCHECK_NOW") {
            env.push(("CERTCHECK_NOW", NOW.to_owned()));
        }
        Cli { env }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        certcheck(args, &env, None)
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Run {
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        certcheck(args, &env, Some(stdin))
    }
}

/// A fresh CA certificate (ECDSA P-256, rcgen's default validity 1975–4096) as PEM, with a name
/// of its own.
pub fn new_ca(name: &str) -> String {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CommonName, name);
    params.distinguished_name.push(DnType::OrganizationName, "certcheck tests");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let key = KeyPair::generate().unwrap();
    params.self_signed(&key).unwrap().pem()
}

/// A fresh leaf certificate followed by its private key (what `upload --no-ca` takes).
pub fn new_leaf_with_key(host: &str) -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec![host.to_owned()]).unwrap();
    let certificate = params.self_signed(&key).unwrap().pem();
    format!("{certificate}{}", key.serialize_pem())
}

/// Writes `text` to a file under cargo's `target/tmp` (one folder per test process) and returns
/// its path.
pub fn temp_file(name: &str, text: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("certcheck-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}
