//! Command-line parsing: the small grammar of DESIGN.md, with usage errors as data.

use std::fmt;

use certcheck::{Destination, Fix, UnixTime};

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Command {
    Check(Run),
    Inspect(Run),
    VerifyResponse(Run),
    Rules,
    Help,
    Version,
}

/// A check, inspect or verify-response run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) destination: Option<Destination>,
    pub(crate) now: Option<UnixTime>,
    pub(crate) json: bool,
    /// `None`: no fixing; `Some(empty)`: every fix the report offers; else these fixes.
    pub(crate) fixes: Option<Vec<Fix>>,
    pub(crate) output: Option<String>,
    /// verify-response: the local PEM to compare the vendor's answer with.
    pub(crate) pem: Option<String>,
    pub(crate) input: String,
}

/// A usage error, printed on stderr with exit status 2.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UsageError(pub(crate) String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n\nRun `certcheck --help` for usage.", self.0)
    }
}

pub(crate) const USAGE: &str = "\
certcheck: check a certificate upload before the vendor's API sees it

Usage:
  certcheck check   --to <DESTINATION> [--ca|--no-ca] [--now <RFC 3339>] [--json]
                    [--fix[=FIX,...]] [--output <FILE>] <FILE|->
  certcheck inspect [--now <RFC 3339>] [--json] <FILE|->
  certcheck verify-response --to <DESTINATION> [--ca|--no-ca] [--pem <FILE>] [--now <RFC 3339>]
                    [--json] <RESPONSE.json|->
  certcheck rules   list every rule with its severity per destination

Destinations: anthropic-tunnel, cloudflare-access, cloudflare-mtls (--ca default; --no-ca for a
leaf + chain + private key), cloudflare-gateway.

--fix applies the named fixes (all that the report offers when no list is given), checks the
result and writes it to --output, or to stdout with the report on stderr.

verify-response compares what the vendor says it stored (the JSON of a create or get, bare or in
Cloudflare's envelope) with the certificate you meant: --pem, or the PEM the response carries
(Gateway, mTLS). A vendor error or a response of the wrong shape is exit status 2.

Exit status: 0 ok or warning, 1 error, 2 usage or I/O error.
";

pub(crate) fn parse(args: &[String]) -> Result<Command, UsageError> {
    let Some((verb, rest)) = args.split_first() else { return Ok(Command::Help) };
    match verb.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "-V" | "--version" => return Ok(Command::Version),
        "rules" => return Ok(Command::Rules),
        "check" | "inspect" | "verify-response" => {}
        other => {
            return Err(UsageError(format!(
                "unknown command {other:?}; expected check, inspect, verify-response or rules"
            )));
        }
    }
    let inspect = verb == "inspect";
    let verify = verb == "verify-response";
    let mut run =
        Run { destination: None, now: None, json: false, fixes: None, output: None, pem: None, input: String::new() };
    let mut ca_flag = None;
    let mut input = None;
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |flag: &str| -> Result<String, UsageError> {
            inline.clone().or_else(|| iter.next().cloned()).ok_or_else(|| UsageError(format!("{flag} needs a value")))
        };
        match name {
            "--to" if !inspect => {
                let text = value("--to")?;
                run.destination =
                    Some(text.parse().map_err(|e: certcheck::DestinationError| UsageError(e.to_string()))?);
            }
            "--ca" if !inspect => ca_flag = Some(true),
            "--no-ca" if !inspect => ca_flag = Some(false),
            "--now" => {
                let text = value("--now")?;
                run.now = Some(UnixTime::parse_rfc3339(&text).map_err(|e| UsageError(format!("--now {text:?}: {e}")))?);
            }
            "--json" => run.json = true,
            "--pem" if verify => run.pem = Some(value("--pem")?),
            "--fix" if !inspect && !verify => {
                let list = inline.clone().unwrap_or_default();
                let fixes = list
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().parse::<Fix>().map_err(|e| UsageError(e.to_string())))
                    .collect::<Result<Vec<_>, _>>()?;
                run.fixes = Some(fixes);
            }
            "-o" | "--output" if !inspect && !verify => run.output = Some(value("--output")?),
            "-h" | "--help" => return Ok(Command::Help),
            "-" => input = set_once(input, "-")?,
            flag if flag.starts_with('-') => {
                return Err(UsageError(format!("unknown option {flag:?} for `certcheck {verb}`")));
            }
            path => input = set_once(input, path)?,
        }
    }
    run.input = input.ok_or_else(|| UsageError("no input: give a file path, or - for standard input".to_owned()))?;
    if inspect {
        return Ok(Command::Inspect(run));
    }
    let destination = run.destination.ok_or_else(|| UsageError(format!("{verb} needs --to <DESTINATION>")))?;
    if let Some(ca) = ca_flag {
        if !matches!(destination, Destination::CloudflareMtls { .. }) {
            return Err(UsageError("--ca and --no-ca apply only to --to cloudflare-mtls".to_owned()));
        }
        run.destination = Some(Destination::CloudflareMtls { ca });
    }
    Ok(if verify { Command::VerifyResponse(run) } else { Command::Check(run) })
}

fn set_once(current: Option<String>, path: &str) -> Result<Option<String>, UsageError> {
    match current {
        None => Ok(Some(path.to_owned())),
        Some(first) => Err(UsageError(format!("only one input is checked at a time (got {first:?} and {path:?})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn check_with_every_flag() {
        let Ok(Command::Check(run)) =
            parse(&args("check --to cloudflare-mtls --no-ca --now 2026-11-22T00:00:00Z --json --fix=crlf_to_lf -"))
        else {
            panic!("should parse")
        };
        assert_eq!(run.destination, Some(Destination::CloudflareMtls { ca: false }));
        assert!(run.json);
        assert_eq!(run.fixes, Some(vec![Fix::CrlfToLf]));
        assert_eq!(run.input, "-");
    }

    #[test]
    fn usage_errors() {
        for (line, message) in [
            ("check a.pem", "check needs --to <DESTINATION>"),
            (
                "check --to nowhere a.pem",
                "unknown destination \"nowhere\"; expected one of: anthropic-tunnel, cloudflare-access, cloudflare-mtls, cloudflare-gateway",
            ),
            ("check --to anthropic-tunnel --no-ca a.pem", "--ca and --no-ca apply only to --to cloudflare-mtls"),
            ("inspect --to anthropic-tunnel a.pem", "unknown option \"--to\" for `certcheck inspect`"),
            ("inspect", "no input: give a file path, or - for standard input"),
            ("inspect a b", "only one input is checked at a time (got \"a\" and \"b\")"),
            (
                "inspect --now yesterday a",
                "--now \"yesterday\": expected an RFC 3339 timestamp such as 2026-11-22T00:00:00Z",
            ),
        ] {
            assert_eq!(parse(&args(line)), Err(UsageError(message.to_owned())), "{line}");
        }
    }
}
