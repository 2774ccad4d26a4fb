//! One module per subcommand, and what they share: reading the input, the clock, `--to` with
//! `--ca/--no-ca`, and printing a report the way `check` prints it.

pub(crate) mod create;
pub(crate) mod list;
pub(crate) mod local;
pub(crate) mod new;
pub(crate) mod remove;
pub(crate) mod upload;
pub(crate) mod verify;

use std::io::{IsTerminal, Read};
use std::time::{SystemTime, UNIX_EPOCH};

use certcheck::{Destination, Report, UnixTime};

use crate::cli::CaFlag;
use crate::human;
use crate::output::Stop;

/// Reads a file, or standard input for `-`, up to one byte over the core's size cap (so that an
/// oversized input is reported as `input.too_large`, not read whole).
pub(crate) fn read_input(path: &str) -> Result<Vec<u8>, Stop> {
    let limit = u64::try_from(certcheck::GLOBAL_SIZE_LIMIT).unwrap_or(u64::MAX) + 1;
    let mut data = Vec::new();
    let result = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut data)
    } else {
        std::fs::File::open(path).and_then(|file| {
            // `take` hides the file's size from read_to_end, which would then grow the buffer
            // by doubling (up to twice the input held at once).
            let size = file.metadata().map_or(0, |m| m.len()).min(limit);
            data.reserve_exact(usize::try_from(size).unwrap_or(0).saturating_add(1));
            file.take(limit).read_to_end(&mut data)
        })
    };
    result.map_err(|error| Stop::Failed(format!("cannot read {path}: {error}")))?;
    Ok(data)
}

/// `--now`, or the clock.
pub(crate) fn clock(now: Option<UnixTime>) -> UnixTime {
    now.unwrap_or_else(|| {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        UnixTime(i64::try_from(seconds).unwrap_or(i64::MAX))
    })
}

/// `--to` with `--ca`/`--no-ca`, which apply only to cloudflare-mtls.
pub(crate) fn destination(to: Destination, ca: CaFlag) -> Result<Destination, Stop> {
    match (to, ca.value()) {
        (Destination::CloudflareMtls { .. }, Some(ca)) => Ok(Destination::CloudflareMtls { ca }),
        (_, Some(_)) => Err(Stop::Usage("--ca and --no-ca apply only to --to cloudflare-mtls".to_owned())),
        (destination, None) => Ok(destination),
    }
}

/// How an input is named in diagnostics.
pub(crate) fn shown_name(input: &str) -> &str {
    if input == "-" { "<stdin>" } else { input }
}

/// A report as `check` prints it: the JSON contract, or the human format (coloured only on a
/// terminal without `NO_COLOR`).
pub(crate) fn report_text(
    json: bool,
    report: &Report,
    input: &[u8],
    name: &str,
    now: UnixTime,
    to_stderr: bool,
) -> Result<String, Stop> {
    if json {
        let mut json = serde_json::to_string_pretty(report)
            .map_err(|error| Stop::Failed(format!("cannot render JSON: {error}")))?;
        json.push('\n');
        return Ok(json);
    }
    Ok(human::render(report, certcheck::decoded_text(input).as_deref(), shown_name(name), now, style(to_stderr)))
}

/// Writes a report as [`report_text`] renders it, to standard error when `to_stderr`, else to
/// standard output; JSON is streamed, not built in memory first (for 10 000 certificates the
/// text alone is about 30 MB).
pub(crate) fn emit_report(
    json: bool,
    report: &Report,
    input: &[u8],
    name: &str,
    now: UnixTime,
    to_stderr: bool,
) -> Result<(), Stop> {
    let failed = |error: std::io::Error| Stop::Failed(format!("cannot write the report: {error}"));
    let mut sink: Box<dyn std::io::Write> = if to_stderr {
        Box::new(std::io::BufWriter::new(std::io::stderr().lock()))
    } else {
        Box::new(std::io::BufWriter::new(std::io::stdout().lock()))
    };
    if json {
        serde_json::to_writer_pretty(&mut sink, report).map_err(|error| failed(error.into()))?;
        sink.write_all(b"\n").map_err(failed)?;
    } else {
        let text = report_text(false, report, input, name, now, to_stderr)?;
        sink.write_all(text.as_bytes()).map_err(failed)?;
    }
    sink.flush().map_err(failed)
}

/// Colour when the stream is a terminal and `NO_COLOR` is unset.
pub(crate) fn style(to_stderr: bool) -> human::Style {
    let terminal = if to_stderr { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    human::Style { colour: terminal && std::env::var_os("NO_COLOR").is_none() }
}

/// The `response.*` diagnostics of a verification.
pub(crate) fn response_diagnostics(report: &Report) -> Vec<certcheck::Diagnostic> {
    report.diagnostics.iter().filter(|d| d.finding.is_response()).cloned().collect()
}

/// A vendor record as JSON, never with a private key in it (no vendor echoes one; if one did,
/// it would not reach a CI log through certcheck).
pub(crate) fn without_key(mut value: serde_json::Value) -> serde_json::Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("private_key");
    }
    value
}

/// A stored record as JSON.
pub(crate) fn record(stored: &certcheck_api::Stored) -> serde_json::Value {
    without_key(serde_json::from_str(&stored.to_json()).unwrap_or(serde_json::Value::Null))
}

/// The record in a create's answer: Cloudflare's `result`, or Anthropic's bare object.
pub(crate) fn answer_record(body: &[u8]) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
    without_key(value.get("result").cloned().unwrap_or(value))
}

/// `id` of a record.
pub(crate) fn record_id(value: &serde_json::Value) -> Option<String> {
    value.get("id").and_then(serde_json::Value::as_str).map(str::to_owned)
}
