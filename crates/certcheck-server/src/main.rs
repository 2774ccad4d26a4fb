//! `certcheck-server`: parses its arguments and serves (see the crate's README).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", certcheck_server::USAGE);
        return ExitCode::SUCCESS;
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
