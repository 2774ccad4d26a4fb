//! The grammar, declared with clap's derive API: one variant of [`Command`] per subcommand, each
//! with its own argument struct, and the shared groups (`--to` with `--ca/--no-ca`, where a
//! destination's certificates live, how to reach the vendor) flattened into the commands that
//! take them. Help, usage errors (exit status 2) and shell completions are generated from it.
//!
//! Adding a subcommand: a variant here with its `Args` struct, a module under `commands/`, and
//! one arm in `main.rs`'s dispatch.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use certcheck::{DESTINATION_NAMES, Destination, Fix, UnixTime};

/// What `certcheck --help` prints after the list of commands.
const AFTER_HELP: &str = "\
Destinations: anthropic-tunnel, cloudflare-access, cloudflare-mtls (--ca default; --no-ca for a
leaf + chain + private key), cloudflare-gateway.

Environment (upload, list, create, remove):
  ANTHROPIC_AUTH_TOKEN   Anthropic bearer token (the Tunnels API takes a workload-identity token)
  ANTHROPIC_BASE_URL     default https://api.anthropic.com
  CLOUDFLARE_API_TOKEN   Cloudflare API token (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY)
  CLOUDFLARE_ACCOUNT_ID  the default --account
  CLOUDFLARE_BASE_URL    default https://api.cloudflare.com/client/v4
--base-url overrides either base URL. Tokens never appear in any output.

Exit status: 0 ok or warning (or done), 1 error verdict, vendor refusal, mismatch or expiring
certificate, 2 usage, I/O or network error (message on stderr).";

/// What `certcheck --version` prints after the name: the package version and the commit it was
/// built from (build.rs; "unknown" without git).
pub(crate) const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("CERTCHECK_COMMIT"), ")");

/// `certcheck`: check a certificate upload before the vendor's API sees it, then upload it,
/// list what the vendors hold, create Gateway CAs and remove certificates.
#[derive(Debug, Parser)]
#[command(name = "certcheck", version = VERSION, after_help = AFTER_HELP, subcommand_required = true, arg_required_else_help = true)]
#[command(about = "Check a certificate before a vendor's mTLS API sees it; upload, list, create and remove them")]
pub(crate) struct Cli {
    /// The command.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check a certificate (file or -) against a destination's rules
    Check(CheckArgs),
    /// Show what a file holds, without destination rules
    Inspect(InspectArgs),
    /// Compare a vendor's answer (JSON) with the certificate you meant
    VerifyResponse(VerifyResponseArgs),
    /// Will the vendor accept the certificate you present (file or -) against the CA you upload?
    Verify(VerifyArgs),
    /// List every rule with its severity per destination
    Rules,
    /// Check, then upload to the destination unless it is already there; verify the answer
    Upload(UploadArgs),
    /// List what a destination holds; with --expiring-within, exit 1 on certificates expiring soon
    List(ListArgs),
    /// Create a Cloudflare Gateway CA, check it, verify the answer and write its PEM
    Create(CreateArgs),
    /// Archive (Anthropic) or delete (Cloudflare) one certificate, by id or fingerprint
    Remove(RemoveArgs),
    /// Make the CA to upload and the certificates to present, checked before they are written
    #[command(subcommand)]
    New(NewCommand),
    /// Print a completion script for a shell (e.g. `certcheck completions bash > /etc/bash_completion.d/certcheck`)
    Completions(CompletionsArgs),
}

/// `certcheck new …`.
#[derive(Debug, Subcommand)]
pub(crate) enum NewCommand {
    /// A CA for a destination (writes ca.pem and ca.key)
    Ca(NewCaArgs),
    /// anthropic-tunnel: the tunnel's server certificate for *.DOMAIN, signed by your CA (server.pem, server.key)
    Server(NewLeafArgs),
    /// cloudflare-access, cloudflare-mtls: a client certificate signed by your CA (client.pem, client.key)
    Client(NewLeafArgs),
    /// anthropic-tunnel: a CA and the server certificate in one go (ca.pem, ca.key, server.pem, server.key)
    Tunnel(NewTunnelArgs),
}

/// A key type certcheck makes.
fn key_type(text: &str) -> Result<certcheck_generate::KeyType, String> {
    text.parse().map_err(|e: certcheck_generate::Error| e.message)
}

/// How new keys are made and written, and where files go.
#[derive(Clone, Debug, Args)]
pub(crate) struct NewOutput {
    /// The new key's type: p256 (default), p384, rsa2048, rsa3072, rsa4096
    #[arg(long, value_name = "TYPE", value_parser = key_type, default_value = "p256")]
    pub(crate) key_type: certcheck_generate::KeyType,
    /// Days of validity (CA default 1826, server and client 397; never past the CA's end)
    #[arg(long, value_name = "N")]
    pub(crate) days: Option<u32>,
    /// Write the files into this directory (made if missing)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) out_dir: String,
    /// Overwrite files that exist (otherwise certcheck refuses and writes nothing)
    #[arg(long)]
    pub(crate) force: bool,
    /// Encrypt the new private key (PKCS#8, PBES2: PBKDF2-SHA256 + AES-256-CBC) with a passphrase
    #[arg(long)]
    pub(crate) encrypt_key: bool,
    /// With --encrypt-key: read the passphrase from this environment variable (else a prompt on a terminal)
    #[arg(long, value_name = "NAME", requires = "encrypt_key")]
    pub(crate) passphrase_env: Option<String>,
    #[command(flatten)]
    pub(crate) common: Common,
}

/// `certcheck new ca`.
#[derive(Debug, Args)]
pub(crate) struct NewCaArgs {
    /// Where the CA will be uploaded: anthropic-tunnel, cloudflare-access or cloudflare-mtls
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    /// The CA's common name (default: certcheck <destination> CA <date>)
    #[arg(long, value_name = "CN")]
    pub(crate) name: Option<String>,
    #[command(flatten)]
    pub(crate) output: NewOutput,
}

/// `certcheck new server` and `certcheck new client`.
#[derive(Debug, Args)]
pub(crate) struct NewLeafArgs {
    /// The destination whose CA verifies the certificate
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    /// The CA certificate that signs (PEM or DER)
    #[arg(long, value_name = "FILE")]
    pub(crate) ca: String,
    /// The CA's private key (PKCS#8 plain or encrypted, SEC1 or PKCS#1; PEM or DER)
    #[arg(long, value_name = "FILE")]
    pub(crate) ca_key: String,
    /// Read the CA key's passphrase from this environment variable (else a prompt on a terminal)
    #[arg(long, value_name = "NAME")]
    pub(crate) ca_key_passphrase_env: Option<String>,
    /// anthropic-tunnel: the tunnel's domain; the certificate names *.DOMAIN
    #[arg(long, value_name = "DOMAIN")]
    pub(crate) tunnel_domain: Option<String>,
    /// The subject's common name (required for a client; a server's default is *.DOMAIN)
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// Another DNS name or IP address for the subjectAltName (repeat for several)
    #[arg(long = "host", value_name = "NAME")]
    pub(crate) hosts: Vec<String>,
    /// An email address for the subjectAltName (repeat for several)
    #[arg(long = "email", value_name = "ADDRESS")]
    pub(crate) emails: Vec<String>,
    /// A URI for the subjectAltName (repeat for several)
    #[arg(long = "uri", value_name = "URI")]
    pub(crate) uris: Vec<String>,
    /// Certify the key of this certificate request (PEM or DER; its signature is verified)
    /// instead of making a key: the private key never moves
    #[arg(long, value_name = "FILE")]
    pub(crate) csr: Option<String>,
    #[command(flatten)]
    pub(crate) output: NewOutput,
}

/// `certcheck new tunnel`.
#[derive(Debug, Args)]
pub(crate) struct NewTunnelArgs {
    /// The tunnel's domain; the server certificate names *.DOMAIN
    #[arg(long, value_name = "DOMAIN")]
    pub(crate) tunnel_domain: String,
    /// The CA's common name (default: certcheck anthropic-tunnel CA <date>)
    #[arg(long, value_name = "CN")]
    pub(crate) name: Option<String>,
    /// Another DNS name or IP address for the server certificate (repeat for several)
    #[arg(long = "host", value_name = "NAME")]
    pub(crate) hosts: Vec<String>,
    /// Days of the CA's validity (default 1826; --days is the server certificate's)
    #[arg(long, value_name = "N")]
    pub(crate) ca_days: Option<u32>,
    #[command(flatten)]
    pub(crate) output: NewOutput,
}

/// `--to` parsed into a destination (its mTLS `ca` flag comes from [`CaFlag`]).
fn destination() -> impl TypedValueParser<Value = Destination> {
    PossibleValuesParser::new(DESTINATION_NAMES).try_map(|name| name.parse::<Destination>().map_err(|e| e.to_string()))
}

fn now(text: &str) -> Result<UnixTime, String> {
    UnixTime::parse_rfc3339(text).map_err(|e| e.to_string())
}

/// `--fix` and `--fix=LIST`: no list means every fix the report offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FixList(pub(crate) Vec<Fix>);

fn fixes(text: &str) -> Result<FixList, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<Fix>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()
        .map(FixList)
}

/// `--ca` / `--no-ca` (the last one given wins).
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct CaFlag {
    /// cloudflare-mtls: a CA that verifies client certificates (the default)
    #[arg(long, overrides_with = "no_ca")]
    pub(crate) ca: bool,
    /// cloudflare-mtls: a leaf certificate, its chain and its private key
    #[arg(long = "no-ca", overrides_with = "ca")]
    pub(crate) no_ca: bool,
}

impl CaFlag {
    /// The flag given, if any.
    pub(crate) fn value(self) -> Option<bool> {
        match (self.ca, self.no_ca) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

/// `--now` and `--json`, taken by every command that reports.
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct Common {
    /// Judge validity at this time instead of the clock (RFC 3339, e.g. 2026-11-22T00:00:00Z)
    #[arg(long, value_name = "RFC 3339", value_parser = now, env = "CERTCHECK_NOW")]
    pub(crate) now: Option<UnixTime>,
    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
}

/// `certcheck check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Where the upload goes
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    #[command(flatten)]
    pub(crate) ca: CaFlag,
    #[command(flatten)]
    pub(crate) common: Common,
    /// Apply these fixes (every fix the report offers when no list is given), check the result
    /// and write it to --output, or to stdout with the report on stderr
    #[arg(long, value_name = "FIX,...", num_args = 0..=1, require_equals = true, default_missing_value = "", value_parser = fixes)]
    pub(crate) fix: Option<FixList>,
    /// Where --fix writes the repaired input
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<String>,
    /// Encrypted private keys in the input (PKCS#8, PBES2) are decrypted with the passphrase in
    /// this environment variable and matched to the certificates (still reported as encrypted)
    #[arg(long, value_name = "NAME")]
    pub(crate) key_passphrase_env: Option<String>,
    /// The certificate file, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub(crate) input: String,
}

/// `certcheck inspect`.
#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    #[command(flatten)]
    pub(crate) common: Common,
    /// The file, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub(crate) input: String,
}

/// `certcheck verify-response`.
#[derive(Debug, Args)]
pub(crate) struct VerifyResponseArgs {
    /// The destination that answered
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    #[command(flatten)]
    pub(crate) ca: CaFlag,
    /// The certificate you uploaded (default: the PEM the response carries, for Gateway and mTLS)
    #[arg(long, value_name = "FILE")]
    pub(crate) pem: Option<String>,
    #[command(flatten)]
    pub(crate) common: Common,
    /// The vendor's JSON answer (bare or in Cloudflare's envelope), or - for standard input
    #[arg(value_name = "RESPONSE.json|-")]
    pub(crate) input: String,
}

/// `certcheck verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Where the CA is uploaded: anthropic-tunnel (CERT_FILE is the gateway's server
    /// certificate), cloudflare-access or cloudflare-mtls (a client certificate)
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    /// The CA certificate(s) uploaded or about to be; any of them may anchor (a rotation's two,
    /// an Access bundle intermediate first)
    #[arg(long, value_name = "FILE")]
    pub(crate) ca: String,
    /// The presented certificate's private key (matched, never printed)
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Option<String>,
    /// The key is encrypted: read its passphrase from this environment variable
    #[arg(long, value_name = "NAME", requires = "key")]
    pub(crate) key_passphrase_env: Option<String>,
    /// anthropic-tunnel: the tunnel's domain; the certificate must cover *.DOMAIN
    #[arg(long, value_name = "DOMAIN")]
    pub(crate) tunnel_domain: Option<String>,
    /// A host name or IP address the certificate must cover (repeat for several)
    #[arg(long = "host", value_name = "NAME")]
    pub(crate) hosts: Vec<String>,
    /// An email address (RFC 822 name) a client certificate's subjectAltName must carry (repeat
    /// for several)
    #[arg(long = "email", value_name = "ADDRESS")]
    pub(crate) emails: Vec<String>,
    #[command(flatten)]
    pub(crate) common: Common,
    /// The certificate presented, optionally followed by its intermediates, or - for standard input
    #[arg(value_name = "CERT_FILE|-")]
    pub(crate) input: String,
}

/// Anthropic's two tunnel API generations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Api {
    /// The current Tunnels API (/v1/tunnels/…)
    Tunnels,
    /// The deprecated Admin API (/v1/organizations/tunnels/…)
    Admin,
}

/// Where a destination's certificates live.
#[derive(Clone, Debug, Args)]
pub(crate) struct Place {
    /// anthropic-tunnel: the tunnel id (tnl_…)
    #[arg(long, value_name = "ID")]
    pub(crate) tunnel: Option<String>,
    /// anthropic-tunnel: the current Tunnels API, or the deprecated Admin API
    #[arg(long, value_enum, value_name = "API", default_value_t = Api::Tunnels)]
    pub(crate) api: Api,
    /// anthropic-tunnel (Tunnels API): send anthropic-workspace-id, for credentials that span workspaces
    #[arg(long, value_name = "ID")]
    pub(crate) workspace: Option<String>,
    /// Cloudflare: the account id
    #[arg(long, value_name = "ID", env = "CLOUDFLARE_ACCOUNT_ID")]
    pub(crate) account: Option<String>,
    /// cloudflare-access: a zone id instead of the account
    #[arg(long, value_name = "ID")]
    pub(crate) zone: Option<String>,
}

/// How to reach the vendor.
#[derive(Clone, Debug, Args)]
pub(crate) struct Reach {
    /// The vendor API's base URL (overrides ANTHROPIC_BASE_URL / CLOUDFLARE_BASE_URL); certcheck-server --sandbox's URL works for both
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Give up on one request after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: u64,
    /// Print the request that would change something (method, URL, headers with secrets
    /// redacted, body) and send nothing at all
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// `certcheck upload`.
#[derive(Debug, Args)]
pub(crate) struct UploadArgs {
    /// Where the upload goes (cloudflare-gateway CAs are made with `certcheck create`)
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    #[command(flatten)]
    pub(crate) ca: CaFlag,
    #[command(flatten)]
    pub(crate) place: Place,
    /// cloudflare-access, cloudflare-mtls: the certificate's name (Access default: its common name)
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// cloudflare-access: a hostname that uses the certificate (repeat for several)
    #[arg(long = "hostname", value_name = "HOST")]
    pub(crate) hostnames: Vec<String>,
    #[command(flatten)]
    pub(crate) reach: Reach,
    #[command(flatten)]
    pub(crate) common: Common,
    /// The certificate file, or - for standard input
    #[arg(value_name = "FILE|-")]
    pub(crate) input: String,
}

/// `certcheck list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Whose certificates
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    #[command(flatten)]
    pub(crate) place: Place,
    /// anthropic-tunnel: list archived certificates too (Cloudflare archives nothing)
    #[arg(long)]
    pub(crate) include_archived: bool,
    /// Exit 1 when a certificate that is not archived expires within DAYS days (or has expired)
    #[arg(long, value_name = "DAYS")]
    pub(crate) expiring_within: Option<u32>,
    #[command(flatten)]
    pub(crate) reach: Reach,
    #[command(flatten)]
    pub(crate) common: Common,
}

/// `certcheck create`.
#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// cloudflare-gateway (the only destination that generates its CA)
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    /// The account id
    #[arg(long, value_name = "ID", env = "CLOUDFLARE_ACCOUNT_ID")]
    pub(crate) account: Option<String>,
    /// How long the CA is valid, 1–10950 days (Cloudflare's default: 1825)
    #[arg(long, value_name = "N")]
    pub(crate) validity_days: Option<u32>,
    /// Write the CA's PEM here (default: standard output, with the summary on stderr)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<String>,
    #[command(flatten)]
    pub(crate) reach: Reach,
    #[command(flatten)]
    pub(crate) common: Common,
}

/// `certcheck remove`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["id", "fingerprint"]))]
pub(crate) struct RemoveArgs {
    /// Whose certificate
    #[arg(long = "to", value_name = "DESTINATION", value_parser = destination())]
    pub(crate) to: Destination,
    #[command(flatten)]
    pub(crate) place: Place,
    /// The vendor's id of the certificate
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// The certificate's fingerprint, in any spelling certcheck reads (SHA-256, SHA-1 or MD5)
    #[arg(long, value_name = "FINGERPRINT")]
    pub(crate) fingerprint: Option<String>,
    #[command(flatten)]
    pub(crate) reach: Reach,
    #[command(flatten)]
    pub(crate) common: Common,
}

/// `certcheck completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn parse(line: &str) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("certcheck").chain(line.split_whitespace()))
    }

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn check_with_every_flag() {
        let cli =
            parse("check --to cloudflare-mtls --no-ca --now 2026-11-22T00:00:00Z --json --fix=crlf_to_lf -").unwrap();
        let Command::Check(args) = cli.command else { panic!("not check") };
        assert_eq!(args.to, Destination::CloudflareMtls { ca: true });
        assert_eq!(args.ca.value(), Some(false));
        assert!(args.common.json);
        assert_eq!(args.fix, Some(FixList(vec![Fix::CrlfToLf])));
        assert_eq!(args.input, "-");
        // `--fix` without `=` takes no value: the next word is the input.
        let Command::Check(args) = parse("check --to anthropic-tunnel --fix a.pem").unwrap().command else {
            panic!("not check")
        };
        assert_eq!((args.fix, args.input.as_str()), (Some(FixList(vec![])), "a.pem"));
        // The last of --ca/--no-ca wins.
        let Command::Check(args) = parse("check --to cloudflare-mtls --no-ca --ca a.pem").unwrap().command else {
            panic!("not check")
        };
        assert_eq!(args.ca.value(), Some(true));
    }

    #[test]
    fn usage_errors_name_the_problem() {
        for (line, expected) in [
            ("check a.pem", "the following required arguments were not provided"),
            ("check --to nowhere a.pem", "invalid value 'nowhere' for '--to <DESTINATION>'"),
            ("inspect --to anthropic-tunnel a.pem", "unexpected argument '--to' found"),
            ("inspect", "the following required arguments were not provided"),
            ("inspect a b", "unexpected argument 'b' found"),
            ("inspect --now yesterday a", "expected an RFC 3339 timestamp such as 2026-11-22T00:00:00Z"),
            ("check --to anthropic-tunnel --fix=nonsense a", "nonsense"),
            ("remove --to anthropic-tunnel --tunnel t", "the following required arguments were not provided"),
            ("remove --to anthropic-tunnel --tunnel t --id a --fingerprint b", "cannot be used with"),
            ("upload --to anthropic-tunnel --timeout 0 a", "0 is not in 1..=3600"),
            ("verify --to anthropic-tunnel server.pem", "the following required arguments were not provided"),
        ] {
            let error = parse(line).err().unwrap_or_else(|| panic!("{line} parsed"));
            assert_eq!(error.exit_code(), 2, "{line}");
            let text = error.to_string();
            assert!(text.contains(expected), "{line}: {text}");
        }
    }
}
