#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod args;
mod human;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use args::{Command, Run, USAGE};
use certcheck::{Options, RULES, Report, UnixTime, Verdict, apply_fixes, check, decoded_text};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match args::parse(&arguments) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("certcheck {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Rules) => {
            print!("{}", rules_table());
            ExitCode::SUCCESS
        }
        Ok(Command::VerifyResponse(run)) => match verify(&run) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("certcheck: {message}");
                ExitCode::from(2)
            }
        },
        Ok(Command::Check(run) | Command::Inspect(run)) => match execute(&run) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("certcheck: {message}");
                ExitCode::from(2)
            }
        },
        Err(error) => {
            eprintln!("certcheck: {error}");
            ExitCode::from(2)
        }
    }
}

fn read_input(path: &str) -> Result<Vec<u8>, String> {
    let limit = u64::try_from(certcheck::GLOBAL_SIZE_LIMIT).unwrap_or(u64::MAX) + 1;
    let mut data = Vec::new();
    let result = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut data)
    } else {
        std::fs::File::open(path).and_then(|file| file.take(limit).read_to_end(&mut data))
    };
    result.map_err(|error| format!("cannot read {path}: {error}"))?;
    Ok(data)
}

fn now(run: &Run) -> UnixTime {
    run.now.unwrap_or_else(|| {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        UnixTime(i64::try_from(seconds).unwrap_or(i64::MAX))
    })
}

fn execute(run: &Run) -> Result<ExitCode, String> {
    let mut input = read_input(&run.input)?;
    let now = now(run);
    let options = Options::new(run.destination, now);
    let mut report = check(&input, &options);
    let mut fixed_to_stdout = false;
    if let Some(requested) = &run.fixes {
        let fixes = if requested.is_empty() { report.offered_fixes() } else { requested.clone() };
        input = apply_fixes(&input, &fixes, &options);
        report = check(&input, &options);
        match &run.output {
            Some(path) => std::fs::write(path, &input).map_err(|error| format!("cannot write {path}: {error}"))?,
            None => {
                std::io::stdout()
                    .write_all(&input)
                    .map_err(|error| format!("cannot write the fixed input: {error}"))?;
                fixed_to_stdout = true;
            }
        }
    }
    let rendered = render(run, &report, &input, now, fixed_to_stdout)?;
    let written = if fixed_to_stdout {
        std::io::stderr().write_all(rendered.as_bytes())
    } else {
        std::io::stdout().write_all(rendered.as_bytes())
    };
    written.map_err(|error| format!("cannot write the report: {error}"))?;
    Ok(if report.verdict == Verdict::Error { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `verify-response`: the vendor's answer against the local certificate.
fn verify(run: &Run) -> Result<ExitCode, String> {
    let response = read_input(&run.input)?;
    let pem = run.pem.as_deref().map(read_input).transpose()?;
    let destination = run.destination.ok_or("verify-response needs --to <DESTINATION>")?;
    let now = now(run);
    let report = certcheck_api::verify_response(destination, &response, pem.as_deref(), now)
        .map_err(|error| format!("{}: {error}", run.input))?;
    let shown = Run { input: run.pem.clone().unwrap_or_else(|| run.input.clone()), ..run.clone() };
    let rendered = render(&shown, &report, pem.as_deref().unwrap_or_default(), now, false)?;
    std::io::stdout().write_all(rendered.as_bytes()).map_err(|error| format!("cannot write the report: {error}"))?;
    Ok(if report.verdict == Verdict::Error { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn render(run: &Run, report: &Report, input: &[u8], now: UnixTime, to_stderr: bool) -> Result<String, String> {
    if run.json {
        let mut json = serde_json::to_string_pretty(report).map_err(|error| format!("cannot render JSON: {error}"))?;
        json.push('\n');
        return Ok(json);
    }
    let terminal = if to_stderr { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    let style = human::Style { colour: terminal && std::env::var_os("NO_COLOR").is_none() };
    let name = if run.input == "-" { "<stdin>" } else { run.input.as_str() };
    Ok(human::render(report, decoded_text(input).as_deref(), name, now, style))
}

fn rules_table() -> String {
    let mut out = String::from(
        "code                                 inspect anthropic access  mtls-ca mtls-leaf gateway  description\n",
    );
    for rule in RULES {
        let cells: Vec<&str> = [
            certcheck::Profile::Inspect,
            certcheck::Profile::Anthropic,
            certcheck::Profile::Access,
            certcheck::Profile::MtlsCa,
            certcheck::Profile::MtlsLeaf,
            certcheck::Profile::Gateway,
        ]
        .iter()
        .map(|&profile| rule.severity(profile).map_or("-", |s| s.name()))
        .collect();
        let [a, b, c, d, e, f] = cells.as_slice() else { continue };
        out.push_str(&format!(
            "{:<37}{a:<8}{b:<10}{c:<8}{d:<8}{e:<10}{f:<9}{} ({})\n",
            rule.code, rule.description, rule.citation
        ));
    }
    out
}
