//! `cargo xtask image`: builds the container image of deploy/Containerfile with podman (the static
//! certcheck-server of `cargo xtask dist cli`, the dashboard of `cargo xtask web`, the build
//! machine's CA bundle) and tests it without running a container — `podman run` cannot start one
//! on these machines (crun may not set rlimits and refuses hybrid cgroups) — by reading what a
//! container would run from the image's config (`podman image inspect`: user, entrypoint, command,
//! environment, port) and exporting its filesystem (`podman create` + `podman export`). The
//! exported server is then started as the image says, from the exported files: under `chroot` as
//! the image's user when xtask runs as root (the image's files and nothing else, as in a
//! container), else straight from the export with its paths. Over HTTP: the dashboard's index is
//! the exported one, the sandbox is off unless asked, and with `--sandbox` an Anthropic upload is
//! stored and listed. Part of `cargo xtask test` when podman is present.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::{dist, util, web};

/// The tag the test builds (local only; never pushed).
const TAG: &str = "localhost/certcheck-server:test";

/// What the Containerfile promises a container runs as, runs and listens on.
const USER: &str = "65532:65532";
const ENTRYPOINT: [&str; 3] = ["/usr/local/bin/certcheck-server", "--static", "/srv/certcheck"];
const PORT: &str = "8080/tcp";
const LISTEN: &str = "CERTCHECK_LISTEN=0.0.0.0:8080";

/// The CA bundle the image trusts when it forwards (Debian's ca-certificates).
pub(crate) const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The time the sandbox's clock stands at in the test (tests/data/README.md's `NOW`).
const NOW: &str = "2026-11-22T00:00:00Z";

/// `cargo xtask image`: builds the dashboard afresh.
pub(crate) fn command() -> Result<(), String> {
    let dashboard = web::build()?;
    run(&dashboard)
}

/// The stage of `cargo xtask test`: the dashboard the end-to-end stage built, when it is there.
pub(crate) fn stage() -> Result<(), String> {
    if !util::have("podman") {
        println!("skipped: podman is not installed (`cargo xtask setup` installs it)");
        return Ok(());
    }
    let built = util::target_dir().join("web");
    let dashboard = if built.join("index.html").is_file() { built } else { web::build()? };
    run(&dashboard)
}

fn run(dashboard: &Path) -> Result<(), String> {
    let binaries = dist::cli()?;
    let started = std::time::Instant::now();
    let work = util::target_dir().join("image");
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| format!("cannot clear {}: {e}", work.display()))?;
    }
    let context = work.join("context");
    copy_tree(dashboard, &context.join("dashboard"))?;
    std::fs::create_dir_all(context.join("state")).map_err(|e| format!("cannot create the context: {e}"))?;
    copy(&binaries.join("certcheck-server"), &context.join("certcheck-server"))?;
    copy(Path::new(CA_BUNDLE), &context.join("ca-certificates.crt"))?;

    // The image this tag named before, removed once the new one is built (no pile of untagged ones).
    let previous = output(Command::new("podman").args(["image", "inspect", "--format", "{{.Id}}", TAG]));
    let containerfile = util::root().join("deploy/Containerfile");
    let mut build = Command::new("podman");
    build.args(["build", "--quiet", "--layers=false", "--tag", TAG, "--file"]).arg(&containerfile).arg(&context);
    let image = output(&mut build)?;
    println!("built {TAG} ({}) in {:.1} s", image.trim(), started.elapsed().as_secs_f64());
    if let Ok(previous) = previous
        && previous.trim() != image.trim()
    {
        let _ =
            Command::new("podman").args(["rmi", previous.trim()]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }

    let config = inspect()?;
    let rootfs = export(&work)?;
    let shell = ["bin/sh", "bin/busybox", "usr/bin/sh"].into_iter().find(|shell| rootfs.join(shell).exists());
    if let Some(shell) = shell {
        return Err(format!("the image has a shell: /{shell}"));
    }
    let files = util::files_under(&rootfs);
    println!("exported filesystem: {} files (the server, the dashboard, the CA bundle)", files.len());

    // As the image runs it: no sandbox.
    let server = Server::start(&rootfs, &config, &[])?;
    let index = server.get("/")?;
    let expected = std::fs::read_to_string(rootfs.join("srv/certcheck/index.html"))
        .map_err(|e| format!("the image has no dashboard index: {e}"))?;
    check(index.0 == 200 && index.1 == expected, "GET / answers the exported dashboard's index.html", &index)?;
    let status = server.get("/api/sandbox/status")?;
    check(status.0 == 404, "the sandbox is off unless asked: GET /api/sandbox/status answers 404", &status)?;
    drop(server);

    // With the sandbox: an Anthropic tunnel certificate stored and listed.
    let state = ["--state", "/state/sandbox.json"];
    let server = Server::start(&rootfs, &config, &["--sandbox", "--sandbox-clock", NOW, state[0], state[1]])?;
    let status = server.get("/api/sandbox/status")?;
    check(status.0 == 200 && status.1.contains("\"sandbox\":true"), "with --sandbox the sandbox answers", &status)?;
    let pem = std::fs::read_to_string(util::root().join("examples/anthropic-ca.pem"))
        .map_err(|e| format!("cannot read examples/anthropic-ca.pem: {e}"))?;
    let body = serde_json::json!({ "ca_certificate_pem": pem }).to_string();
    let path = "/api/anthropic/v1/organizations/tunnels/tnl_01Hx9Kp2RtQvMn3sWbYdLcF8/certificates";
    let created = server.request("POST", path, &body)?;
    let record: Value = serde_json::from_str(&created.1).unwrap_or_default();
    let id = record["id"].as_str().unwrap_or_default().to_owned();
    check(created.0 == 200 && !id.is_empty(), "the sandbox stores an Anthropic tunnel CA", &created)?;
    let listed = server.get(path)?;
    check(listed.0 == 200 && listed.1.contains(&id), "and lists it", &listed)?;
    drop(server);
    // The image's user could write its state where the Containerfile says a volume goes.
    let saved = std::fs::read_to_string(rootfs.join("state/sandbox.json")).unwrap_or_default();
    if !saved.contains(&id) {
        return Err("the sandbox's --state /state/sandbox.json does not hold the stored certificate".to_owned());
    }
    println!("ok: the image's user wrote the sandbox's state into /state");
    println!("image test passed ({:.1} s with the build)", started.elapsed().as_secs_f64());
    Ok(())
}

/// Reads the image's config and checks what the Containerfile promises: a numeric non-root
/// user, the server as entrypoint, the port, the listening address; prints the image's size.
fn inspect() -> Result<Value, String> {
    let text = output(Command::new("podman").args(["image", "inspect", TAG]))?;
    let inspected: Value = serde_json::from_str(&text).map_err(|e| format!("podman image inspect: {e}"))?;
    let image = &inspected[0];
    let config = image["Config"].clone();
    let user = config["User"].as_str().unwrap_or_default();
    let numeric = user.split(':').all(|id| id.parse::<u32>().is_ok_and(|id| id != 0));
    if user != USER || !numeric {
        return Err(format!("the image's user is {user:?}, not the numeric non-root {USER}"));
    }
    let entrypoint: Vec<&str> =
        config["Entrypoint"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if entrypoint != ENTRYPOINT {
        return Err(format!("the image's entrypoint is {entrypoint:?}, not {ENTRYPOINT:?}"));
    }
    if config["ExposedPorts"].get(PORT).is_none() {
        return Err(format!("the image exposes {}, not {PORT}", config["ExposedPorts"]));
    }
    if !config["Env"].as_array().into_iter().flatten().any(|v| v == LISTEN) {
        return Err(format!("the image's environment {} lacks {LISTEN}", config["Env"]));
    }
    let size = image["Size"].as_u64().unwrap_or_default();
    println!(
        "image config: user {user}, entrypoint {entrypoint:?}, command {}, port {PORT}, {LISTEN}; size {size} bytes ({:.1} MB)",
        config["Cmd"],
        size as f64 / 1e6
    );
    Ok(config)
}

/// `podman create` + `podman export` of the image, unpacked; returns the folder.
fn export(work: &Path) -> Result<PathBuf, String> {
    let container = output(Command::new("podman").args(["create", TAG]))?.trim().to_owned();
    let archive = work.join("rootfs.tar");
    let exported = output(Command::new("podman").args(["export", "--output"]).arg(&archive).arg(&container));
    let removed = output(Command::new("podman").args(["rm", &container]));
    exported?;
    removed?;
    let rootfs = work.join("rootfs");
    std::fs::create_dir_all(&rootfs).map_err(|e| format!("cannot create {}: {e}", rootfs.display()))?;
    output(Command::new("tar").arg("-xf").arg(&archive).arg("-C").arg(&rootfs))?;
    Ok(rootfs)
}

/// The exported server, started as the image's config says, listening on a free loopback port.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(rootfs: &Path, config: &Value, extra: &[&str]) -> Result<Self, String> {
        let strings = |key: &str| -> Vec<String> {
            config[key].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
        };
        let mut argv = strings("Entrypoint");
        argv.extend(strings("Cmd"));
        argv.extend(extra.iter().map(|a| (*a).to_owned()));
        let user = config["User"].as_str().unwrap_or_default();
        // In the image's filesystem as its user when root may chroot; else the exported binary
        // with the image's paths made paths into the export.
        let as_root = output(Command::new("id").arg("-u")).is_ok_and(|id| id.trim() == "0");
        let mut command = if as_root && util::have("chroot") {
            let mut command = Command::new("chroot");
            command.arg(format!("--userspec={user}")).arg(rootfs).args(&argv);
            println!("starting `chroot --userspec={user} <export> {}`", argv.join(" "));
            command
        } else {
            let rooted: Vec<String> = argv
                .iter()
                .map(|a| {
                    if a.starts_with('/') {
                        rootfs.join(a.trim_start_matches('/')).display().to_string()
                    } else {
                        a.clone()
                    }
                })
                .collect();
            println!("starting {} (not root: without chroot)", rooted.join(" "));
            let mut command = Command::new(rooted.first().ok_or("the image has no entrypoint")?);
            command.args(rooted.get(1..).unwrap_or_default());
            command
        };
        // The image's environment, with the address moved to loopback (the variable is how the
        // image says where to listen).
        command.env_clear();
        for pair in strings("Env") {
            if let Some((name, value)) = pair.split_once('=') {
                command.env(name, if name == "CERTCHECK_LISTEN" { "127.0.0.1:0" } else { value });
            }
        }
        let mut child = command.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot start the server: {e}"))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let mut reader = BufReader::new(stdout);
            let _ = reader.read_line(&mut line);
            // The request log, shown (and never left to fill the pipe).
            std::thread::spawn(move || {
                for line in reader.lines().map_while(Result::ok) {
                    println!("  server: {line}");
                }
            });
        }
        print!("  server: {line}");
        let address = line.split("listening on http://").nth(1).unwrap_or("").trim().trim_end_matches('/').to_owned();
        let server = Self { child, address };
        if server.address.is_empty() {
            Err("the exported server did not say where it listens".to_owned())
        } else {
            Ok(server)
        }
    }

    fn get(&self, path: &str) -> Result<(u16, String), String> {
        self.request("GET", path, "")
    }

    /// One HTTP/1.1 request with the headers the vendors' SDKs send to the sandbox; the status
    /// and the body (de-chunked).
    fn request(&self, method: &str, path: &str, body: &str) -> Result<(u16, String), String> {
        let mut stream =
            TcpStream::connect(&self.address).map_err(|e| format!("cannot connect to {}: {e}", self.address))?;
        stream.set_read_timeout(Some(Duration::from_secs(20))).map_err(|e| e.to_string())?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Bearer test\r\n\
             anthropic-version: 2023-06-01\r\nanthropic-beta: mcp-tunnels-2026-05-19\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.address,
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()))
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).map_err(|e| format!("{method} {path}: {e}"))?;
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer.split_once("\r\n\r\n").ok_or_else(|| format!("{method} {path}: no answer"))?;
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let chunked = head.lines().any(|l| l.to_ascii_lowercase().starts_with("transfer-encoding: chunked"));
        Ok((status, if chunked { dechunk(body) } else { body.to_owned() }))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A chunked body's data.
fn dechunk(mut body: &str) -> String {
    let mut data = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        data.push_str(rest.get(..size).unwrap_or(rest));
        body = rest.get(size..).unwrap_or("").trim_start_matches("\r\n");
    }
    data
}

fn check(passed: bool, what: &str, answer: &(u16, String)) -> Result<(), String> {
    if passed {
        println!("ok: {what}");
        Ok(())
    } else {
        let body: String = answer.1.chars().take(300).collect();
        Err(format!("{what}: failed (status {}, body {body:?})", answer.0))
    }
}

/// A command's standard output, or an error with what it wrote to standard error.
fn output(command: &mut Command) -> Result<String, String> {
    let result = command.output().map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    if result.status.success() {
        Ok(String::from_utf8_lossy(&result.stdout).into_owned())
    } else {
        Err(format!("{command:?} failed ({}): {}", result.status, String::from_utf8_lossy(&result.stderr).trim()))
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for file in util::files_under(from) {
        let relative = file.strip_prefix(from).map_err(|e| e.to_string())?;
        copy(&file, &to.join(relative))?;
    }
    Ok(())
}
