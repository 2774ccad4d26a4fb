//! Where a command's certificates live and how to reach their vendor: the [`Collection`] from
//! `--to` and the ids, the credentials and base URL from the vendors' own environment variables
//! (`ANTHROPIC_AUTH_TOKEN`, `ANTHROPIC_BASE_URL`; `CLOUDFLARE_API_TOKEN` or `CLOUDFLARE_EMAIL` +
//! `CLOUDFLARE_API_KEY`, `CLOUDFLARE_ACCOUNT_ID`, `CLOUDFLARE_BASE_URL`), and reading a whole
//! list with certcheck-api's sans-I/O [`Listing`].

use std::time::Duration;

use certcheck::Destination;
use certcheck_api::{
    Collection, Credentials, Family, Generation, ListError, Listing, PlaceError, PlaceId, Request, RequestOptions,
    Scope, Stored, Vendor, is_identifier,
};
use clap::ArgMatches;
use clap::parser::ValueSource;

use crate::cli::{Api, Place, Reach};
use crate::http::{Failure, Http};
use crate::output::{Out, Refusal, ShownRequest, Stop};

/// Which arguments were typed on the command line (not defaulted, not from the environment):
/// only those make a usage error when they do not apply.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Given<'a> {
    matches: Option<&'a ArgMatches>,
}

impl<'a> Given<'a> {
    pub(crate) fn new(matches: Option<&'a ArgMatches>) -> Self {
        Self { matches }
    }

    pub(crate) fn typed(&self, id: &str) -> bool {
        let source = self.matches.and_then(|m| {
            // Only ids this command declares may be asked about (clap panics on others in debug).
            m.try_contains_id(id).ok().filter(|&present| present).and_then(|_| m.value_source(id))
        });
        source == Some(ValueSource::CommandLine)
    }
}

/// A non-empty environment variable, trimmed.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// An id given on the command line or in the environment, checked before it goes into a path.
pub(crate) fn identifier(flag: &str, value: &str) -> Result<String, Stop> {
    let value = value.trim();
    if is_identifier(value) {
        Ok(value.to_owned())
    } else {
        Err(Stop::Usage(format!("{flag} {value:?} is not an id: 1–128 characters of A–Z, a–z, 0–9, '_', '-' and '.'")))
    }
}

/// A base URL as the vendors' SDKs take it: scheme, host, optional port and path prefix, used
/// verbatim with the endpoint's path appended (Cloudflare's therefore ends in `/client/v4`).
/// One exception, for Cloudflare: a base URL that is only a host gets `/client/v4`, the one place
/// Cloudflare's API lives, so that one URL (`http://127.0.0.1:8080`, the sandbox's root) serves
/// both vendors.
fn vendor_base_url(vendor: Vendor, text: &str, source: &str) -> Result<String, Stop> {
    let url = base_url(text, source)?;
    let path = url.split_once("://").map_or("", |(_, rest)| rest).split_once('/').map_or("", |(_, path)| path);
    Ok(if vendor == Vendor::Cloudflare && path.is_empty() { format!("{url}/client/v4") } else { url })
}

fn base_url(text: &str, source: &str) -> Result<String, Stop> {
    let url = text.trim().trim_end_matches('/');
    let bad = |why: &str| Stop::Failed(format!("{source} {url:?} {why}: expected http(s)://host[:port][/path]"));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("has no scheme"))?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(bad("is not http or https"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return Err(bad("has no host"));
    }
    if authority.contains('@') {
        return Err(bad("carries credentials (set them in the environment instead)"));
    }
    if url.contains(['?', '#']) || url.chars().any(char::is_whitespace) {
        return Err(bad("has a query, a fragment or spaces"));
    }
    Ok(url.to_owned())
}

/// Everything a vendor command needs: what, where, as whom, and how.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) destination: Destination,
    pub(crate) collection: Collection,
    credentials: Option<Credentials>,
    /// The variables to set when `credentials` is `None`.
    missing: &'static str,
    pub(crate) options: RequestOptions,
    pub(crate) http: Http,
    pub(crate) out: Out,
}

/// Why a list could not be read to its end.
#[derive(Debug)]
pub(crate) enum ListFailure {
    /// The vendor answered with an error.
    Refused(Refusal),
    /// No answer.
    Network(Failure),
    /// An answer that is not the documented list.
    Shape(String),
}

impl ListFailure {
    /// Exit status 1 for a refusal, 2 for the rest; the message names what was being listed.
    pub(crate) fn report(self, target: &Target) -> Result<std::process::ExitCode, Stop> {
        let what = format!("cannot list {}", target.describe());
        match self {
            Self::Refused(refusal) => {
                target.out.note(&format!("{what}: {}", refusal.line("list")));
                Ok(std::process::ExitCode::from(1))
            }
            Self::Network(failure) => Err(Stop::Failed(format!("{what}: {}", failure.reason()))),
            Self::Shape(reason) => Err(Stop::Failed(format!("{what}: {reason}"))),
        }
    }
}

impl Target {
    /// Resolves `--to` with the ids and the environment. `ca` is the mTLS flag of an upload.
    pub(crate) fn new(destination: Destination, place: &Place, reach: &Reach, given: Given<'_>) -> Result<Self, Stop> {
        let anthropic = destination == Destination::AnthropicTunnel;
        let misplaced = |flag: &str, id: &str, why: &str| -> Result<(), Stop> {
            if given.typed(id) { Err(Stop::Usage(format!("{flag} {why}, not to --to {destination}"))) } else { Ok(()) }
        };
        if anthropic {
            misplaced("--account", "account", "applies to Cloudflare destinations")?;
            misplaced("--zone", "zone", "applies to cloudflare-access")?;
        } else {
            misplaced("--tunnel", "tunnel", "applies to anthropic-tunnel")?;
            misplaced("--api", "api", "applies to anthropic-tunnel")?;
            misplaced("--workspace", "workspace", "applies to anthropic-tunnel")?;
        }
        let family = Family::of(destination);
        match family {
            Family::Access if place.zone.is_some() && given.typed("account") => {
                return Err(Stop::Usage("give --account or --zone, not both".to_owned()));
            }
            Family::Gateway => {
                misplaced("--zone", "zone", "applies to cloudflare-access (Gateway CAs belong to an account)")?;
            }
            Family::Mtls => {
                misplaced("--zone", "zone", "applies to cloudflare-access (mTLS certificates belong to an account)")?;
            }
            Family::Anthropic | Family::Access => {}
        }
        let generation = match place.api {
            Api::Tunnels => Generation::Tunnels,
            Api::Admin => Generation::Admin,
        };
        let ids = certcheck_api::Place {
            generation,
            tunnel_id: place.tunnel.as_deref().unwrap_or_default(),
            account_id: place.account.as_deref().unwrap_or_default(),
            zone_id: if family == Family::Access { place.zone.as_deref() } else { None },
        };
        let collection = Collection::new(family, &ids).map_err(|error| {
            let which = match error {
                PlaceError::Missing(which) | PlaceError::Malformed(which) => which,
            };
            let (flag, value) = match which {
                PlaceId::Tunnel => ("--tunnel", &place.tunnel),
                PlaceId::Account => ("--account", &place.account),
                PlaceId::Zone => ("--zone", &place.zone),
            };
            match (value, which) {
                (Some(value), _) => {
                    identifier(flag, value).err().unwrap_or_else(|| Stop::Usage(format!("{flag} {value:?}")))
                }
                (None, PlaceId::Tunnel) => {
                    Stop::Usage("--to anthropic-tunnel needs --tunnel <ID> (the tunnel's tnl_… id)".to_owned())
                }
                (None, _) => Stop::Usage(format!(
                    "--to {destination} needs --account <ID> (or CLOUDFLARE_ACCOUNT_ID in the environment)"
                )),
            }
        })?;
        let mut options = RequestOptions::default();
        if let Some(workspace) = &place.workspace {
            options.workspace_id = Some(identifier("--workspace", workspace)?);
        }
        Self::connect(destination, collection, options, reach)
    }

    /// The collection's vendor: its credentials, base URL and client.
    pub(crate) fn connect(
        destination: Destination,
        collection: Collection,
        options: RequestOptions,
        reach: &Reach,
    ) -> Result<Self, Stop> {
        let vendor = collection.vendor();
        let (variable, missing) = match vendor {
            Vendor::Anthropic => ("ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN"),
            Vendor::Cloudflare => {
                ("CLOUDFLARE_BASE_URL", "CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY)")
            }
        };
        let url = match (&reach.base_url, env(variable)) {
            (Some(flag), _) => vendor_base_url(vendor, flag, "--base-url")?,
            (None, Some(value)) => vendor_base_url(vendor, &value, variable)?,
            (None, None) => vendor.base_url().to_owned(),
        };
        let mut secrets = Vec::new();
        let credentials = match vendor {
            Vendor::Anthropic => env("ANTHROPIC_AUTH_TOKEN").map(Credentials::Bearer),
            Vendor::Cloudflare => {
                match (env("CLOUDFLARE_API_TOKEN"), env("CLOUDFLARE_EMAIL"), env("CLOUDFLARE_API_KEY")) {
                    (Some(token), _, _) => Some(Credentials::Bearer(token)),
                    (None, Some(email), Some(key)) => Some(Credentials::GlobalKey { email, key }),
                    (None, Some(_), None) => {
                        return Err(Stop::Failed("CLOUDFLARE_EMAIL is set but CLOUDFLARE_API_KEY is not".to_owned()));
                    }
                    (None, None, Some(_)) => {
                        return Err(Stop::Failed("CLOUDFLARE_API_KEY is set but CLOUDFLARE_EMAIL is not".to_owned()));
                    }
                    (None, None, None) => None,
                }
            }
        };
        // Every credential known to this process is scrubbed, whichever vendor is called.
        for name in [
            "ANTHROPIC_AUTH_TOKEN",
            "ANTHROPIC_API_KEY",
            "CLOUDFLARE_API_TOKEN",
            "CLOUDFLARE_API_KEY",
            "CLOUDFLARE_EMAIL",
        ] {
            secrets.extend(env(name));
        }
        let out = Out::new(secrets);
        let plain = url.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://"));
        if plain && !crate::http::is_loopback(&url) && !reach.dry_run {
            out.note(&format!("warning: {url} is plain HTTP: the credentials cross the network unencrypted"));
        }
        let http = Http::new(&url, Duration::from_secs(reach.timeout));
        Ok(Self { destination, collection, credentials, missing, options, http, out })
    }

    /// The credentials, or the usage error naming the variables to set.
    pub(crate) fn credentials(&self) -> Result<&Credentials, Stop> {
        self.credentials.as_ref().ok_or_else(|| {
            Stop::Failed(format!(
                "no credentials for {}: set {}",
                match self.collection.vendor() {
                    Vendor::Anthropic => "Anthropic",
                    Vendor::Cloudflare => "Cloudflare",
                },
                self.missing
            ))
        })
    }

    /// Credentials to build a request that a dry run only shows.
    pub(crate) fn shown_credentials(&self) -> Credentials {
        self.credentials.clone().unwrap_or_else(|| Credentials::Bearer(String::new()))
    }

    /// A request as `--dry-run` prints it.
    pub(crate) fn shown(&self, request: &Request, shown_body: Option<String>) -> ShownRequest {
        ShownRequest::new(request, self.http.base_url(), self.credentials.as_ref(), self.missing, shown_body)
    }

    /// Where the collection is, for messages: `tunnel tnl_… (Tunnels API)`, `Cloudflare Access
    /// of account 023e…`, `the mTLS store of account …`, `Cloudflare Gateway of account …`.
    pub(crate) fn describe(&self) -> String {
        describe(&self.collection)
    }

    /// Every certificate in the collection, every page.
    pub(crate) fn list(&self, include_archived: bool) -> Result<Vec<Stored>, ListFailure> {
        let credentials = self.credentials().map_err(|stop| match stop {
            Stop::Failed(message) | Stop::Usage(message) => ListFailure::Shape(message),
        })?;
        let mut options = self.options.clone();
        if include_archived {
            options.list.include_archived = Some(true);
        }
        let mut listing = Listing::new(self.collection.clone(), credentials.clone(), options);
        let mut page = 0;
        while let Some(request) = listing.next_request() {
            page += 1;
            let doing = format!("listing {} (page {page})", self.describe());
            let answer = self.http.send(&request, &doing).map_err(ListFailure::Network)?;
            match listing.accept(answer.status, &answer.body) {
                Ok(()) => {}
                Err(ListError::Vendor(_)) => {
                    return Err(ListFailure::Refused(answer.refusal(&request, self.http.base_url())));
                }
                Err(other) => return Err(ListFailure::Shape(other.to_string())),
            }
        }
        Ok(listing.into_items())
    }
}

/// A collection in words.
pub(crate) fn describe(collection: &Collection) -> String {
    match collection {
        Collection::Tunnel { generation, tunnel_id } => {
            let api = match generation {
                Generation::Admin => "Admin API",
                Generation::Tunnels => "Tunnels API",
            };
            format!("tunnel {tunnel_id} ({api})")
        }
        Collection::Access { scope: Scope::Accounts, id } => format!("Cloudflare Access of account {id}"),
        Collection::Access { scope: Scope::Zones, id } => format!("Cloudflare Access of zone {id}"),
        Collection::Mtls { account_id } => format!("the mTLS store of account {account_id}"),
        Collection::Gateway { account_id } => format!("Cloudflare Gateway of account {account_id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_taken_as_the_sdks_take_them() {
        assert_eq!(base_url("http://127.0.0.1:8080/", "x").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(
            base_url("https://api.cloudflare.com/client/v4", "x").unwrap(),
            "https://api.cloudflare.com/client/v4"
        );
        for bad in ["127.0.0.1:8080", "ftp://host", "https://", "https://user:pw@host", "https://host/?a=b"] {
            assert!(base_url(bad, "--base-url").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_host_alone_is_cloudflares_client_v4() {
        let cloudflare = |url| vendor_base_url(Vendor::Cloudflare, url, "x").unwrap();
        assert_eq!(cloudflare("http://127.0.0.1:8080/"), "http://127.0.0.1:8080/client/v4");
        assert_eq!(cloudflare("https://api.cloudflare.com/client/v4"), "https://api.cloudflare.com/client/v4");
        assert_eq!(cloudflare("https://gw.example/cloudflare"), "https://gw.example/cloudflare");
        assert_eq!(vendor_base_url(Vendor::Anthropic, "http://127.0.0.1:8080", "x").unwrap(), "http://127.0.0.1:8080");
    }

    #[test]
    fn identifiers_go_into_paths_only_when_they_are_ids() {
        assert_eq!(identifier("--tunnel", " tnl_1 ").unwrap(), "tnl_1");
        for bad in ["", "..", "a/b", "a?b", "tnl 1"] {
            assert!(identifier("--tunnel", bad).is_err(), "{bad}");
        }
    }
}
