//! `certcheck new ca|server|client|tunnel`: makes material with `certcheck-generate` (which checks
//! and verifies it before handing it over), then writes the files (keys 0600, nothing
//! overwritten without `--force`) and says what to do next. Nothing here decides what goes into a
//! certificate.

use std::fs::OpenOptions;
use std::io::{IsTerminal, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use certcheck::Destination;
use certcheck_generate::{
    CaOptions, Issuer, LeafKind, LeafOptions, Made, SystemRandom, new_ca, new_leaf, private_key_pem, system_random,
};
use serde_json::json;
use zeroize::Zeroizing;

use crate::cli::{NewCaArgs, NewCommand, NewLeafArgs, NewOutput, NewTunnelArgs};
use crate::commands::{clock, read_input};
use crate::output::Stop;

/// One artifact written.
struct Written {
    kind: LeafKindOrCa,
    destination: Destination,
    made: Made,
    certificate: PathBuf,
    key: Option<PathBuf>,
    encrypted: bool,
}

#[derive(Clone, Copy)]
enum LeafKindOrCa {
    Ca,
    Leaf(LeafKind),
}

impl LeafKindOrCa {
    fn name(self) -> &'static str {
        match self {
            LeafKindOrCa::Ca => "ca",
            LeafKindOrCa::Leaf(kind) => kind.name(),
        }
    }
}

pub(crate) fn run(command: &NewCommand) -> Result<ExitCode, Stop> {
    let mut rng = system_random();
    let result = match command {
        NewCommand::Ca(args) => new_ca_command(args, &mut rng),
        NewCommand::Server(args) => new_leaf_command(args, LeafKind::Server, &mut rng),
        NewCommand::Client(args) => new_leaf_command(args, LeafKind::Client, &mut rng),
        NewCommand::Tunnel(args) => new_tunnel_command(args, &mut rng),
    };
    let output = match command {
        NewCommand::Ca(args) => &args.output,
        NewCommand::Server(args) | NewCommand::Client(args) => &args.output,
        NewCommand::Tunnel(args) => &args.output,
    };
    match result {
        Ok(written) => {
            print_written(&written, output.common.json)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(Refused::Stop(stop)) => Err(stop),
        Err(Refused::Generate(error)) => {
            if output.common.json {
                let mut text = serde_json::to_string_pretty(&json!({ "error": error }))
                    .map_err(|e| Stop::failed(format!("cannot render JSON: {e}")))?;
                text.push('\n');
                print_out(&text)?;
            } else {
                eprintln!("certcheck: {error}\nNothing was written.");
            }
            Ok(ExitCode::from(1))
        }
    }
}

enum Refused {
    Stop(Stop),
    Generate(certcheck_generate::Error),
}

impl From<Stop> for Refused {
    fn from(stop: Stop) -> Self {
        Refused::Stop(stop)
    }
}

impl From<certcheck_generate::Error> for Refused {
    fn from(error: certcheck_generate::Error) -> Self {
        Refused::Generate(error)
    }
}

fn new_ca_command(args: &NewCaArgs, rng: &mut SystemRandom) -> Result<Vec<Written>, Refused> {
    let output = &args.output;
    let paths = Paths::new(output, &["ca.pem", "ca.key"])?;
    let passphrase = new_key_passphrase(output)?;
    let options = CaOptions {
        destination: args.to,
        name: args.name.clone(),
        days: output.days,
        key_type: output.key_type,
        now: clock(output.common.now),
    };
    let made = new_ca(&options, rng)?;
    let ca = write_made(made, LeafKindOrCa::Ca, args.to, &paths, 0, passphrase.as_ref().map(|p| p.as_str()), rng)?;
    Ok(vec![ca])
}

fn new_leaf_command(args: &NewLeafArgs, kind: LeafKind, rng: &mut SystemRandom) -> Result<Vec<Written>, Refused> {
    let output = &args.output;
    let base = kind.name();
    let names = [format!("{base}.pem"), format!("{base}.key")];
    let files: Vec<&str> =
        if args.csr.is_some() { vec![names[0].as_str()] } else { names.iter().map(String::as_str).collect() };
    let paths = Paths::new(output, &files)?;
    let passphrase = if args.csr.is_some() {
        if output.encrypt_key {
            return Err(Stop::Usage(
                "--encrypt-key has no key to encrypt with --csr: the key stays where the request was made".to_owned(),
            )
            .into());
        }
        None
    } else {
        new_key_passphrase(output)?
    };
    let ca_certificate = read_input(&args.ca)?;
    let ca_key = Zeroizing::new(read_input(&args.ca_key)?);
    let issuer = read_issuer(&ca_certificate, &ca_key, args.ca_key_passphrase_env.as_deref())?;
    let request = args.csr.as_deref().map(read_input).transpose()?;
    let options = LeafOptions {
        destination: args.to,
        kind,
        tunnel_domain: args.tunnel_domain.clone(),
        name: args.name.clone(),
        hosts: args.hosts.clone(),
        emails: args.emails.clone(),
        uris: args.uris.clone(),
        days: output.days,
        key_type: output.key_type,
        request,
        now: clock(output.common.now),
    };
    let made = new_leaf(&options, &issuer, rng)?;
    Ok(vec![write_made(
        made,
        LeafKindOrCa::Leaf(kind),
        args.to,
        &paths,
        0,
        passphrase.as_ref().map(|p| p.as_str()),
        rng,
    )?])
}

fn new_tunnel_command(args: &NewTunnelArgs, rng: &mut SystemRandom) -> Result<Vec<Written>, Refused> {
    let output = &args.output;
    let destination = Destination::AnthropicTunnel;
    let paths = Paths::new(output, &["ca.pem", "ca.key", "server.pem", "server.key"])?;
    let passphrase = new_key_passphrase(output)?;
    let now = clock(output.common.now);
    let ca_options =
        CaOptions { destination, name: args.name.clone(), days: args.ca_days, key_type: output.key_type, now };
    let mut ca = new_ca(&ca_options, rng)?;
    let ca_key = ca.key.take().ok_or_else(|| Stop::failed("the CA was made without its key"))?;
    let issuer = Issuer::new(ca.certificate_der.clone(), ca_key)?;
    let server_options = LeafOptions {
        destination,
        kind: LeafKind::Server,
        tunnel_domain: Some(args.tunnel_domain.clone()),
        name: None,
        hosts: args.hosts.clone(),
        emails: Vec::new(),
        uris: Vec::new(),
        days: output.days,
        key_type: output.key_type,
        request: None,
        now,
    };
    let server = new_leaf(&server_options, &issuer, rng)?;
    ca.key = Some(issuer.into_key());
    let ca = write_made(ca, LeafKindOrCa::Ca, destination, &paths, 0, passphrase.as_ref().map(|p| p.as_str()), rng)?;
    let server = write_made(
        server,
        LeafKindOrCa::Leaf(LeafKind::Server),
        destination,
        &paths,
        2,
        passphrase.as_ref().map(|p| p.as_str()),
        rng,
    )?;
    Ok(vec![ca, server])
}

fn read_issuer(certificate: &[u8], key: &[u8], passphrase_env: Option<&str>) -> Result<Issuer, Refused> {
    let passphrase = match passphrase_env {
        Some(name) => Some(passphrase_from_env(name)?),
        None => None,
    };
    match Issuer::read(certificate, key, passphrase.as_ref().map(|p| p.as_bytes())) {
        Err(error) if error.code == "key.encrypted" && passphrase.is_none() && std::io::stdin().is_terminal() => {
            let typed = prompt("Passphrase of the CA key: ")?;
            Ok(Issuer::read(certificate, key, Some(typed.as_bytes()))?)
        }
        other => Ok(other?),
    }
}

/// The files one command writes, refused before anything is made when one exists (unless
/// `--force`).
struct Paths(Vec<PathBuf>);

impl Paths {
    fn new(output: &NewOutput, names: &[&str]) -> Result<Paths, Stop> {
        let dir = Path::new(&output.out_dir);
        let paths: Vec<PathBuf> = names.iter().map(|name| dir.join(name)).collect();
        if !output.force {
            let existing: Vec<String> =
                paths.iter().filter(|p| p.symlink_metadata().is_ok()).map(|p| p.display().to_string()).collect();
            if !existing.is_empty() {
                return Err(Stop::failed(format!(
                    "{} already exist{}: certcheck overwrites nothing without --force (nothing was made or written)",
                    existing.join(", "),
                    if existing.len() == 1 { "s" } else { "" }
                )));
            }
        }
        Ok(Paths(paths))
    }

    fn get(&self, index: usize) -> Result<&Path, Stop> {
        self.0.get(index).map(PathBuf::as_path).ok_or_else(|| Stop::failed("internal: no path for a file"))
    }
}

fn write_made(
    mut made: Made,
    kind: LeafKindOrCa,
    destination: Destination,
    paths: &Paths,
    first: usize,
    passphrase: Option<&str>,
    rng: &mut SystemRandom,
) -> Result<Written, Refused> {
    let certificate = paths.get(first)?.to_path_buf();
    let key_pem = match made.key.as_ref() {
        Some(key) => Some(private_key_pem(&key.pkcs8_der()?, passphrase.map(str::as_bytes), rng)?),
        None => None,
    };
    write_file(&certificate, made.certificate_pem.as_bytes(), 0o644)?;
    let key = match key_pem {
        Some(pem) => {
            let path = paths.get(first + 1)?.to_path_buf();
            write_file(&path, pem.as_bytes(), 0o600)?;
            Some(path)
        }
        None => None,
    };
    // The written key is on disk; the in-memory copy goes now.
    made.key = None;
    Ok(Written { kind, destination, made, certificate, key, encrypted: passphrase.is_some() })
}

/// Writes `bytes` to a new file with `mode`; an existing file (possible only with `--force`) is
/// replaced by renaming a fresh file over it, so its old permissions never apply to a key.
fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Result<(), Stop> {
    let failed = |e: std::io::Error| Stop::failed(format!("cannot write {}: {e}", path.display()));
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Stop::failed(format!("cannot make {}: {e}", dir.display())))?;
    }
    let temporary = path.with_file_name(format!(".{file_name}.certcheck-new"));
    let _ = std::fs::remove_file(&temporary);
    let mut file = OpenOptions::new().write(true).create_new(true).mode(mode).open(&temporary).map_err(failed)?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(failed)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(failed)
}

pub(crate) fn passphrase_from_env(name: &str) -> Result<Zeroizing<String>, Stop> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(Zeroizing::new(value)),
        Ok(_) => Err(Stop::failed(format!("the environment variable {name} is empty: no passphrase"))),
        Err(_) => Err(Stop::failed(format!("the environment variable {name} is not set: no passphrase"))),
    }
}

fn prompt(text: &str) -> Result<Zeroizing<String>, Stop> {
    rpassword::prompt_password(text)
        .map(Zeroizing::new)
        .map_err(|e| Stop::failed(format!("cannot read the passphrase from the terminal: {e}")))
}

/// With `--encrypt-key`: the passphrase from `--passphrase-env`, or typed twice on a terminal.
fn new_key_passphrase(output: &NewOutput) -> Result<Option<Zeroizing<String>>, Stop> {
    if !output.encrypt_key {
        return Ok(None);
    }
    if let Some(name) = &output.passphrase_env {
        return passphrase_from_env(name).map(Some);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Stop::Usage(
            "--encrypt-key needs a passphrase: give --passphrase-env NAME, or run on a terminal to type it".to_owned(),
        ));
    }
    let first = prompt("Passphrase for the new private key: ")?;
    let again = prompt("The same passphrase again: ")?;
    if first.is_empty() || *first != *again {
        return Err(Stop::failed("the passphrases are empty or differ: nothing was made"));
    }
    Ok(Some(first))
}

fn print_written(written: &[Written], json: bool) -> Result<(), Stop> {
    let steps = next_steps(written);
    if json {
        let made: Vec<serde_json::Value> = written
            .iter()
            .map(|w| {
                let certificate = w.made.check.certificates.first();
                json!({
                    "kind": w.kind.name(),
                    "destination": w.destination.name(),
                    "certificate": w.certificate.display().to_string(),
                    "private_key": w.key.as_ref().map(|k| k.display().to_string()),
                    "private_key_encrypted": w.key.is_some() && w.encrypted,
                    "fingerprint": certificate.map(|c| certcheck_api::spelling(w.destination, c)),
                    "sha256": certificate.map(|c| c.spellings.anthropic()),
                    "not_after": certificate.map(|c| c.not_after),
                    "check": &w.made.check,
                    "verify": &w.made.verify,
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&json!({ "made": made, "next_steps": steps }))
            .map_err(|e| Stop::failed(format!("cannot render JSON: {e}")))?;
        text.push('\n');
        return print_out(&text);
    }
    let mut out = String::new();
    for w in written {
        let Some(certificate) = w.made.check.certificates.first() else { continue };
        let what = match w.kind {
            LeafKindOrCa::Ca => format!("CA for {}", w.destination.name()),
            LeafKindOrCa::Leaf(kind) => format!("{} certificate for {}", kind.name(), w.destination.name()),
        };
        out.push_str(&format!(
            "Made {what}: {}\n  subject      {}\n  key          {}\n  valid until  {}\n  fingerprint  {}\n",
            w.certificate.display(),
            certificate.subject,
            key_text(&certificate.key),
            certificate.not_after,
            certcheck_api::spelling(w.destination, certificate),
        ));
        if !certificate.san.is_empty() {
            out.push_str(&format!("  names        {}\n", certificate.san.join(", ")));
        }
        match &w.key {
            Some(key) => out.push_str(&format!(
                "  private key  {} (mode 0600{})\n",
                key.display(),
                if w.encrypted { ", encrypted" } else { "" }
            )),
            None => out.push_str("  private key  stays where the request was made\n"),
        }
        let checked = match &w.made.verify {
            Some(_) => "checked and verified against its CA: no error, no warning",
            None => "checked for its destination: no error, no warning",
        };
        out.push_str(&format!("  {checked}\n"));
    }
    out.push_str("\nNext:\n");
    for step in &steps {
        out.push_str(&format!("  {step}\n"));
    }
    print_out(&out)
}

/// Standard output, where a closed pipe (`| head`) is an error, not a panic.
fn print_out(text: &str) -> Result<(), Stop> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Stop::failed(format!("cannot write to standard output: {e}")))
}

fn key_text(key: &certcheck::KeyInfo) -> String {
    match (&key.curve, key.bits) {
        (Some(curve), _) => format!("{} {curve}", key.algorithm),
        (None, Some(bits)) => format!("{} {bits}", key.algorithm),
        (None, None) => key.algorithm.clone(),
    }
}

fn next_steps(written: &[Written]) -> Vec<String> {
    let mut steps = Vec::new();
    for w in written {
        let cert = w.certificate.display();
        let key = w
            .key
            .as_ref()
            .map(|k| k.display().to_string())
            .unwrap_or_else(|| "the key the request was made with".to_owned());
        match (w.kind, w.destination) {
            (LeafKindOrCa::Ca, Destination::AnthropicTunnel) => {
                steps.push(format!("certcheck upload --to anthropic-tunnel --tunnel tnl_… {cert}"));
                steps.push(format!("keep {key} offline: it signs the tunnel's server certificates (certcheck new server --ca {cert} --ca-key {key})"));
            }
            (LeafKindOrCa::Ca, Destination::CloudflareAccess) => {
                steps.push(format!(
                    "certcheck upload --to cloudflare-access --account … --hostname app.example.com {cert}"
                ));
                steps.push(format!("keep {key} offline: it signs client certificates (certcheck new client --to cloudflare-access --ca {cert} --ca-key {key} --name …)"));
            }
            (LeafKindOrCa::Ca, _) => {
                steps.push(format!("certcheck upload --to cloudflare-mtls --ca --account … {cert}"));
                steps.push(format!("keep {key} offline: it signs client certificates (certcheck new client --to cloudflare-mtls --ca {cert} --ca-key {key} --name …)"));
            }
            (LeafKindOrCa::Leaf(LeafKind::Server), _) => {
                steps.push(format!(
                    "configure the tunnel's TLS server with {cert} (certificate) and {key} (private key)"
                ));
            }
            (LeafKindOrCa::Leaf(LeafKind::Client), destination) => {
                steps.push(format!(
                    "the client presents {cert} with {key} (e.g. curl --cert {cert} --key {key} https://…)"
                ));
                if matches!(destination, Destination::CloudflareMtls { .. }) {
                    steps.push(format!("or upload it as a leaf: cat {cert} <CA file> {key} | certcheck upload --to cloudflare-mtls --no-ca -"));
                }
            }
        }
    }
    steps
}
