//! Command-line configuration of the server, parsed without a framework; errors are data.

use crate::error::ServerError;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use certcheck_api::Vendor;

/// Everything the server is told at start.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen (default 127.0.0.1:8080; port 0 picks a free one).
    pub listen: SocketAddr,
    /// Emulate the vendors instead of forwarding.
    pub sandbox: bool,
    /// Where the sandbox keeps its state across restarts.
    pub state: Option<PathBuf>,
    /// The time the sandbox's clock stands at (a microsecond further per request); the computer's
    /// clock when absent.
    pub sandbox_clock: Option<certcheck::UnixTime>,
    /// The dashboard's built files; a placeholder page when absent.
    pub static_dir: Option<PathBuf>,
    /// Anthropic's API base URL.
    pub anthropic_upstream: String,
    /// Cloudflare's API base URL.
    pub cloudflare_upstream: String,
    /// How long an upstream request may take before the caller gets 504.
    pub upstream_timeout: Duration,
    /// Largest request body accepted (413 above).
    pub body_limit: usize,
    /// How long a client may take to send its request headers (the connection is closed) and
    /// then its body (408).
    pub client_timeout: Duration,
    /// Connections served at once; more wait in the kernel's backlog until one closes.
    pub max_connections: usize,
    /// Whether the site is served behind TLS (adds Strict-Transport-Security).
    pub behind_tls: bool,
    /// DNS names answered for besides `localhost`, `*.localhost` and IP addresses (normalized;
    /// `.example.com` takes the name and its subdomains). Other `Host`s get 421.
    pub allowed_hosts: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            sandbox: false,
            state: None,
            sandbox_clock: None,
            static_dir: None,
            anthropic_upstream: Vendor::Anthropic.base_url().to_owned(),
            cloudflare_upstream: Vendor::Cloudflare.base_url().to_owned(),
            upstream_timeout: Duration::from_secs(30),
            body_limit: 64 * 1024,
            client_timeout: Duration::from_secs(20),
            max_connections: 1024,
            behind_tls: false,
            allowed_hosts: Vec::new(),
        }
    }
}

/// The usage text.
pub const USAGE: &str = "\
certcheck-server: serves the certcheck dashboard and forwards the documented certificate
endpoints of the Anthropic and Cloudflare APIs (or emulates them with --sandbox)

usage: certcheck-server [--listen ADDR] [--sandbox [--state FILE] [--sandbox-clock TIME]] [--static DIR]
                        [--anthropic-upstream URL] [--cloudflare-upstream URL]
                        [--upstream-timeout SECONDS] [--body-limit BYTES]
                        [--client-timeout SECONDS] [--max-connections N] [--behind-tls]
                        [--allowed-host NAME]...

  --listen ADDR              address to listen on (default 127.0.0.1:8080; port 0 = any free port)
  --sandbox                  emulate the four endpoint families in-process instead of forwarding
  --state FILE               keep the sandbox's certificates in FILE across restarts (written atomically)
  --sandbox-clock TIME       the sandbox's clock stands at TIME (RFC 3339; one microsecond more per
                             request): the dates it stamps and the Gateway CAs it makes, for demos
                             and tests that must not depend on the day they run
  --static DIR               the dashboard's built files (default: a placeholder page)
  --anthropic-upstream URL   default https://api.anthropic.com
  --cloudflare-upstream URL  default https://api.cloudflare.com/client/v4
  --upstream-timeout SECONDS default 30; a slower upstream answers 504
  --body-limit BYTES         default 65536; a larger request body answers 413
  --client-timeout SECONDS   default 20; a client slower to send its headers is disconnected,
                             one slower to send its body answers 408
  --max-connections N        default 1024 connections served at once; more wait to be accepted
  --behind-tls               send Strict-Transport-Security (when a TLS proxy fronts the server)
  --allowed-host NAME        also answer requests for the DNS name NAME (repeatable; .NAME takes
                             its subdomains too). Without it only localhost, *.localhost and IP
                             addresses are answered, whatever --listen says; any other Host gets
                             421 (DNS rebinding defence). Needed behind a proxy that keeps the Host.

API paths: /api/anthropic/<path below api.anthropic.com>, /api/cloudflare/<path below /client/v4>.
";

impl Config {
    /// Reads the arguments (without the program name).
    ///
    /// # Errors
    /// [`ServerError::Argument`] naming the bad argument.
    pub fn parse(args: &[String]) -> Result<Self, ServerError> {
        let mut config = Self::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value =
                |name: &str| args.next().cloned().ok_or_else(|| ServerError::argument(name, "needs a value"));
            match arg.as_str() {
                "--listen" => {
                    let text = value("--listen")?;
                    config.listen = text
                        .parse()
                        .map_err(|_| ServerError::argument("--listen", format!("{text:?}: expected HOST:PORT")))?;
                }
                "--sandbox" => config.sandbox = true,
                "--state" => config.state = Some(PathBuf::from(value("--state")?)),
                "--sandbox-clock" => {
                    let text = value("--sandbox-clock")?;
                    let time = certcheck::UnixTime::parse_rfc3339(&text).map_err(|_| {
                        ServerError::argument(
                            "--sandbox-clock",
                            format!("{text:?}: expected RFC 3339, e.g. 2026-11-22T00:00:00Z"),
                        )
                    })?;
                    config.sandbox_clock = Some(time);
                }
                "--static" => config.static_dir = Some(PathBuf::from(value("--static")?)),
                "--anthropic-upstream" => {
                    config.anthropic_upstream = upstream("--anthropic-upstream", &value("--anthropic-upstream")?)?
                }
                "--cloudflare-upstream" => {
                    config.cloudflare_upstream = upstream("--cloudflare-upstream", &value("--cloudflare-upstream")?)?
                }
                "--upstream-timeout" => {
                    config.upstream_timeout = seconds("--upstream-timeout", &value("--upstream-timeout")?)?
                }
                "--client-timeout" => config.client_timeout = seconds("--client-timeout", &value("--client-timeout")?)?,
                "--max-connections" => {
                    let text = value("--max-connections")?;
                    config.max_connections =
                        text.parse().ok().filter(|n| (1..=65_536).contains(n)).ok_or_else(|| {
                            ServerError::argument("--max-connections", format!("{text:?}: expected 1 to 65536"))
                        })?;
                }
                "--body-limit" => {
                    let text = value("--body-limit")?;
                    config.body_limit =
                        text.parse().ok().filter(|b| (1..=16 * 1024 * 1024).contains(b)).ok_or_else(|| {
                            ServerError::argument("--body-limit", format!("{text:?}: expected bytes, 1 to 16777216"))
                        })?;
                }
                "--behind-tls" => config.behind_tls = true,
                "--allowed-host" => {
                    let name = crate::hosts::allowed_name(&value("--allowed-host")?)
                        .map_err(|problem| ServerError::argument("--allowed-host", problem))?;
                    config.allowed_hosts.push(name);
                }
                other => return Err(ServerError::UnknownArgument(other.to_owned())),
            }
        }
        if config.state.is_some() && !config.sandbox {
            return Err(ServerError::argument("--state", "applies only with --sandbox"));
        }
        if config.sandbox_clock.is_some() && !config.sandbox {
            return Err(ServerError::argument("--sandbox-clock", "applies only with --sandbox"));
        }
        Ok(config)
    }
}

/// A duration in seconds, 0 < s ≤ 600.
fn seconds(name: &str, text: &str) -> Result<Duration, ServerError> {
    text.parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s <= 600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| ServerError::argument(name, format!("{text:?}: expected seconds, 0 < s ≤ 600")))
}

/// An upstream base URL: http(s), no query or fragment, no trailing slash.
fn upstream(name: &str, text: &str) -> Result<String, ServerError> {
    let trimmed = text.trim_end_matches('/');
    let ok = (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
        && !trimmed.contains(['?', '#', ' '])
        && trimmed.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
    if ok {
        Ok(trimmed.to_owned())
    } else {
        Err(ServerError::argument(name, format!("{text:?} is not an http(s) base URL")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Config, String> {
        Config::parse(&line.split_whitespace().map(str::to_owned).collect::<Vec<_>>()).map_err(|e| e.to_string())
    }

    #[test]
    fn arguments_are_read_and_refused_precisely() {
        let config = parse("--listen 127.0.0.1:0 --sandbox --state /tmp/s.json --upstream-timeout 0.5").unwrap();
        assert_eq!(config.listen.port(), 0);
        assert!(config.sandbox);
        assert_eq!(config.upstream_timeout, Duration::from_millis(500));
        assert_eq!(config.sandbox_clock, None);
        let config = parse("--sandbox --sandbox-clock 2026-11-22T01:00:00+01:00").unwrap();
        assert_eq!(config.sandbox_clock, Some(certcheck::UnixTime(1_795_305_600)));
        let config = parse("--client-timeout 2.5 --max-connections 64").unwrap();
        assert_eq!((config.client_timeout, config.max_connections), (Duration::from_millis(2500), 64));
        assert!(config.allowed_hosts.is_empty());
        let config =
            parse("--allowed-host Certcheck.Example. --listen 0.0.0.0:8080 --allowed-host .corp.example").unwrap();
        assert_eq!(config.allowed_hosts, ["certcheck.example", ".corp.example"]);
        assert_eq!(
            parse("--cloudflare-upstream http://127.0.0.1:9/x/").unwrap().cloudflare_upstream,
            "http://127.0.0.1:9/x"
        );
        for (line, message) in [
            ("--state s.json", "--state applies only with --sandbox"),
            ("--sandbox-clock 2026-11-22T00:00:00Z", "--sandbox-clock applies only with --sandbox"),
            (
                "--sandbox --sandbox-clock tomorrow",
                "--sandbox-clock \"tomorrow\": expected RFC 3339, e.g. 2026-11-22T00:00:00Z",
            ),
            ("--listen nowhere", "--listen \"nowhere\": expected HOST:PORT"),
            ("--anthropic-upstream ftp://x", "--anthropic-upstream \"ftp://x\" is not an http(s) base URL"),
            ("--body-limit 0", "--body-limit \"0\": expected bytes, 1 to 16777216"),
            ("--client-timeout 0", "--client-timeout \"0\": expected seconds, 0 < s ≤ 600"),
            ("--max-connections 0", "--max-connections \"0\": expected 1 to 65536"),
            ("--listen", "--listen needs a value"),
            ("--open", "unknown argument \"--open\""),
            ("--allowed-host", "--allowed-host needs a value"),
            (
                "--allowed-host localhost:8080",
                "--allowed-host \"localhost:8080\": expected a host name such as app.example.com (no port)",
            ),
        ] {
            assert_eq!(parse(line).unwrap_err(), message, "{line}");
        }
    }
}
