//! `cargo xtask setup`: the one place that installs what the tests need, idempotently.
//! Later issues add the wasm target, browsers and their drivers here.

use crate::util;

pub(crate) fn run() -> Result<(), String> {
    if util::have("rustup") {
        // Present on this machine kind; rustup's own servers may be out of reach, so a failure
        // here is reported, not fatal.
        if let Err(problem) = util::run("rustup", &["component", "add", "clippy", "rustfmt"]) {
            println!("note: {problem}");
        }
    }
    for (program, package) in [("openssl", "openssl"), ("python3", "python3")] {
        if !util::have(program) {
            install_apt(package)?;
        }
    }
    if util::run("python3", &["-m", "pip", "--version", "--quiet"]).is_err() {
        install_apt("python3-pip")?;
    }
    Ok(())
}

fn install_apt(package: &str) -> Result<(), String> {
    println!("installing {package} with apt-get");
    util::run("apt-get", &["update", "-qq"])?;
    util::run("apt-get", &["install", "-y", "-qq", package])
}
