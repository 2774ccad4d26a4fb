//! `cargo xtask serve` (the README's main command): builds the dashboard and the server in
//! release mode and runs them with the sandbox at http://127.0.0.1:8080 (state in
//! target/sandbox-state.json).
//! `cargo xtask load`: the same server on a free port under load from tests/load (figures only).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::{util, web};

pub(crate) fn serve(extra: &[String]) -> Result<(), String> {
    let dashboard = web::build()?;
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-server"])?;
    let binary = util::target_dir().join("release/certcheck-server");
    let state = util::target_dir().join("sandbox-state.json");
    println!("Sandbox state: {} (delete it to start afresh)", state.display());
    let mut command = Command::new(&binary);
    command.args(["--sandbox", "--state"]).arg(&state).arg("--static").arg(&dashboard);
    if !extra.iter().any(|a| a == "--listen") {
        command.args(["--listen", "127.0.0.1:8080"]);
    }
    let status = command.args(extra).status().map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    if status.success() { Ok(()) } else { Err(format!("certcheck-server stopped ({status})")) }
}

pub(crate) fn load(extra: &[String]) -> Result<(), String> {
    util::cargo(&["build", "--release", "--quiet", "-p", "certcheck-server"])?;
    let binary = util::target_dir().join("release/certcheck-server");
    let state = util::target_dir().join("load-state.json");
    let _ = std::fs::remove_file(&state);
    let mut server = Command::new(&binary)
        .args(["--sandbox", "--listen", "127.0.0.1:0", "--state"])
        .arg(&state)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let mut line = String::new();
    if let Some(stdout) = server.stdout.take() {
        let mut reader = BufReader::new(stdout);
        let _ = reader.read_line(&mut line);
        // Drain the request log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in reader.lines() {});
    }
    let base = line.split("listening on ").nth(1).unwrap_or("").trim().trim_end_matches('/').to_owned();
    let result = if base.is_empty() {
        Err("the server did not print its URL".to_owned())
    } else {
        let mut args = vec![util::root().join("tests/load/sandbox-create.mjs").display().to_string(), base];
        args.push(state.display().to_string());
        args.extend(extra.iter().cloned());
        let arguments: Vec<&str> = args.iter().map(String::as_str).collect();
        util::run("node", &arguments)
    };
    let _ = server.kill();
    let _ = server.wait();
    result
}
