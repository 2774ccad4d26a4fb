//! `certcheck-server`: parses its arguments and serves (see the crate's README).

use std::process::ExitCode;

/// The package version and the commit it was built from (build.rs; "unknown" without git).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("CERTCHECK_COMMIT"), ")");

/// The variable that gives the listening address when no `--listen` does.
const LISTEN_VARIABLE: &str = "CERTCHECK_LISTEN";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", certcheck_server::USAGE);
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("certcheck-server {VERSION}");
        return ExitCode::SUCCESS;
    }
    // The listening address from the environment (a container's `ENV`), unless --listen says.
    if let Some(listen) = std::env::var_os(LISTEN_VARIABLE)
        && !args.iter().any(|a| a == "--listen")
    {
        args.splice(0..0, ["--listen".to_owned(), listen.to_string_lossy().into_owned()]);
    }
    let config = match certcheck_server::Config::parse(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("certcheck-server: {message}\n\n{}", certcheck_server::USAGE);
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("certcheck-server: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(certcheck_server::serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("certcheck-server: {message}");
            ExitCode::FAILURE
        }
    }
}
