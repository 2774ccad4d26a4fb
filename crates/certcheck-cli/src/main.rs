#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod cli;
mod commands;
mod http;
mod human;
mod output;
mod progress;
mod vendor;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command};
use output::Stop;
use vendor::Given;

fn main() -> ExitCode {
    let mut grammar = Cli::command();
    let parsed = grammar
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => return clap_exit(&error),
    };
    let (name, sub) = matches.subcommand().map_or(("", None), |(name, sub)| (name, Some(sub)));
    let given = Given::new(sub);
    let result = match &cli.command {
        Command::Check(args) => commands::local::run_check(args),
        Command::Inspect(args) => commands::local::run_inspect(args),
        Command::VerifyResponse(args) => commands::local::run_verify_response(args),
        Command::Verify(args) => commands::verify::run(args),
        Command::Rules => commands::local::run_rules(),
        Command::Upload(args) => commands::upload::run(args, given),
        Command::List(args) => commands::list::run(args, given),
        Command::Create(args) => commands::create::run(args),
        Command::Remove(args) => commands::remove::run(args, given),
        Command::New(command) => commands::new::run(command),
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Cli::command(), "certcheck", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(Stop::Usage(message)) => {
            // Rendered like clap's own usage errors: `error: …`, the command's usage line, exit 2.
            let error = match grammar.find_subcommand_mut(name) {
                Some(command) => command.error(ErrorKind::ArgumentConflict, message),
                None => grammar.error(ErrorKind::ArgumentConflict, message),
            };
            clap_exit(&error)
        }
        Err(Stop::Failed(message)) => {
            eprintln!("certcheck: {message}");
            ExitCode::from(2)
        }
    }
}

/// Prints a clap error (help and version on stdout, exit 0; usage errors on stderr, exit 2).
fn clap_exit(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}
