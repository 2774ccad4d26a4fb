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
    /// How long a response may wait for the client to take its bytes (see `conn`): a client
    /// that stops reading loses its connection after it. Unless given, the client timeout.
    pub write_timeout: Duration,
    /// Connections served at once; more wait in the kernel's backlog until one closes.
    pub max_connections: usize,
    /// Whether the site is served behind TLS (adds Strict-Transport-Security).
    pub behind_tls: bool,
    /// DNS names answered for besides `localhost`, `*.localhost` and IP addresses (normalized;
    /// `.example.com` takes the name and its subdomains). Other `Host`s get 421.
    pub allowed_hosts: Vec<String>,
    /// The proxy for requests to `https://` upstreams (`--proxy`, else `HTTPS_PROXY`); never
    /// used for an `http://` upstream.
    pub proxy: Proxy,
    /// Read and write the state through a symbolic link at `--state` (refused otherwise).
    pub follow_state_symlink: bool,
}

/// Where requests to the vendors go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Proxy {
    /// `HTTPS_PROXY` / `https_proxy` (and `NO_PROXY`) from the environment, when set.
    #[default]
    Environment,
    /// Straight to the upstream (`--no-proxy`).
    Direct,
    /// Through this proxy (`--proxy URL`), except for the hosts `NO_PROXY` lists.
    Url(String),
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
            write_timeout: Duration::from_secs(20),
            max_connections: 1024,
            behind_tls: false,
            allowed_hosts: Vec::new(),
            proxy: Proxy::Environment,
            follow_state_symlink: false,
        }
    }
}

/// The usage text.
pub const USAGE: &str = "\
certcheck-server: serves the certcheck dashboard and forwards the documented certificate
endpoints of the Anthropic and Cloudflare APIs (or emulates them with --sandbox)

usage: certcheck-server [--listen ADDR] [--sandbox [--state FILE [--follow-state-symlink]] [--sandbox-clock TIME]]
                        [--static DIR] [--anthropic-upstream URL] [--cloudflare-upstream URL]
                        [--proxy URL | --no-proxy] [--upstream-timeout SECONDS]
                        [--body-limit BYTES] [--client-timeout SECONDS] [--write-timeout SECONDS]
                        [--max-connections N] [--behind-tls] [--allowed-host NAME]...
       certcheck-server --version | --help

  --listen ADDR              address to listen on (default: the CERTCHECK_LISTEN variable, else
                             127.0.0.1:8080; port 0 = any free port)
  --sandbox                  emulate the four endpoint families in-process instead of forwarding
  --state FILE               keep the sandbox's certificates in FILE across restarts (written atomically,
                             mode 0600); a symbolic link at FILE is refused unless
  --follow-state-symlink     is given: then the state is read and written where the link points
  --sandbox-clock TIME       the sandbox's clock stands at TIME (RFC 3339; one microsecond more per
                             request): the dates it stamps and the Gateway CAs it makes, for demos
                             and tests that must not depend on the day they run
  --static DIR               the dashboard's built files (default: a placeholder page)
  --anthropic-upstream URL   default https://api.anthropic.com
  --cloudflare-upstream URL  default https://api.cloudflare.com/client/v4
  --proxy URL                send requests for https:// upstreams through this HTTP proxy (a CONNECT
                             tunnel: the proxy sees the host name, never a header); default: the
                             HTTPS_PROXY / https_proxy variable, with NO_PROXY. HTTP_PROXY and
                             ALL_PROXY are ignored, and an http:// upstream always goes direct
  --no-proxy                 ignore HTTPS_PROXY: always connect directly
  --upstream-timeout SECONDS default 30; a slower upstream answers 504
  --body-limit BYTES         default 65536; a larger request body answers 413
  --client-timeout SECONDS   default 20; a client slower to send its headers is disconnected,
                             one slower to send its body answers 408; an idle keep-alive
                             connection is closed after it too
  --write-timeout SECONDS    default: the client timeout; a client that takes less than 16 KiB of
                             a response in that time (it stopped reading) is disconnected
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
        let mut write_timeout = None;
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
                "--write-timeout" => write_timeout = Some(seconds("--write-timeout", &value("--write-timeout")?)?),
                "--proxy" => {
                    let text = value("--proxy")?;
                    if config.proxy == Proxy::Direct {
                        return Err(ServerError::argument("--proxy", "and --no-proxy exclude each other"));
                    }
                    config.proxy = Proxy::Url(proxy_url(&text)?);
                }
                "--no-proxy" => {
                    if let Proxy::Url(_) = config.proxy {
                        return Err(ServerError::argument("--proxy", "and --no-proxy exclude each other"));
                    }
                    config.proxy = Proxy::Direct;
                }
                "--follow-state-symlink" => config.follow_state_symlink = true,
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
        config.write_timeout = write_timeout.unwrap_or(config.client_timeout);
        if config.state.is_some() && !config.sandbox {
            return Err(ServerError::argument("--state", "applies only with --sandbox"));
        }
        if config.sandbox_clock.is_some() && !config.sandbox {
            return Err(ServerError::argument("--sandbox-clock", "applies only with --sandbox"));
        }
        if config.follow_state_symlink && config.state.is_none() {
            return Err(ServerError::argument("--follow-state-symlink", "applies only with --state"));
        }
        Ok(config)
    }
}

/// A proxy URL: `http://` or `https://`, a host, nothing after the authority but `/`.
fn proxy_url(text: &str) -> Result<String, ServerError> {
    let rest = text.strip_prefix("http://").or_else(|| text.strip_prefix("https://"));
    let authority = rest.map(|rest| rest.trim_end_matches('/'));
    match authority {
        Some(authority) if !authority.is_empty() && !authority.contains(['/', '?', '#', ' ']) => Ok(text.to_owned()),
        _ => Err(ServerError::argument("--proxy", format!("{:?} is not an http(s) proxy URL", redact(text)))),
    }
}

/// A proxy URL without the password of its user info, for messages and the log.
pub(crate) fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let user = if authority.contains('@') { "…@" } else { "" };
    let slash = if rest.contains('/') { "/" } else { "" };
    format!("{scheme}{}{user}{host}{slash}{path}", if scheme.is_empty() { "" } else { "://" })
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
        assert_eq!(config.write_timeout, Duration::from_millis(2500), "the client timeout unless given");
        assert!(config.allowed_hosts.is_empty());
        assert_eq!(config.proxy, Proxy::Environment);
        assert_eq!(parse("").unwrap().write_timeout, Duration::from_secs(20));
        let config = parse("--proxy http://user:pw@proxy.corp:3128 --write-timeout 1.5").unwrap();
        assert_eq!(config.proxy, Proxy::Url("http://user:pw@proxy.corp:3128".to_owned()));
        assert_eq!(config.write_timeout, Duration::from_millis(1500));
        assert_eq!(parse("--no-proxy").unwrap().proxy, Proxy::Direct);
        assert_eq!(redact("http://user:pw@proxy.corp:3128"), "http://…@proxy.corp:3128");
        let config = parse("--sandbox --state s.json --follow-state-symlink").unwrap();
        assert!(config.follow_state_symlink);
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
            ("--sandbox --follow-state-symlink", "--follow-state-symlink applies only with --state"),
            ("--proxy socks5://p:1080", "--proxy \"socks5://p:1080\" is not an http(s) proxy URL"),
            ("--proxy http://u:secret@p:3128/x", "--proxy \"http://…@p:3128/x\" is not an http(s) proxy URL"),
            ("--proxy http://p:3128 --no-proxy", "--proxy and --no-proxy exclude each other"),
            ("--write-timeout 0", "--write-timeout \"0\": expected seconds, 0 < s ≤ 600"),
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
