//! The sandbox's records and their persistence: one JSON document, rewritten atomically (a
//! temporary file created exclusively in the same folder under an unpredictable name with mode
//! 0600, fsync, rename over the old one, fsync the folder), so a crash mid-write leaves the
//! previous state readable, and nothing planted beside the state file (a symbolic link at the
//! temporary name) is followed: `create_new` is `O_CREAT | O_EXCL`, which fails on any existing
//! name, links included. A symbolic link at `--state` itself is refused unless
//! `--follow-state-symlink` says to write where it points.

use crate::error::{ServerError, StateProblem};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use ring::rand::{SecureRandom as _, SystemRandom};

use serde::{Deserialize, Serialize};

/// Everything the sandbox remembers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Store {
    /// Monotonic counter giving every record its creation order.
    pub(crate) sequence: u64,
    /// Bumped by every change; what the writer compares to know what is on disk.
    #[serde(default)]
    pub(crate) version: u64,
    pub(crate) tunnels: BTreeMap<String, TunnelRecord>,
    pub(crate) tunnel_certificates: Vec<TunnelCertificateRecord>,
    pub(crate) access_certificates: Vec<AccessRecord>,
    /// Per `accounts/ID` or `zones/ID`.
    pub(crate) access_settings: BTreeMap<String, Vec<certcheck_api::AccessHostnameSetting>>,
    pub(crate) gateway_certificates: Vec<GatewayRecord>,
    pub(crate) mtls_certificates: Vec<MtlsRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TunnelRecord {
    pub(crate) tunnel: certcheck_api::model::Tunnel,
    pub(crate) sequence: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TunnelCertificateRecord {
    pub(crate) certificate: certcheck_api::model::TunnelCertificate,
    pub(crate) sequence: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AccessRecord {
    /// `accounts/ID` or `zones/ID`.
    pub(crate) owner: String,
    pub(crate) certificate: certcheck_api::model::AccessCertificate,
    /// SHA-256 of the first certificate, to refuse duplicates.
    pub(crate) sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct GatewayRecord {
    pub(crate) account_id: String,
    pub(crate) certificate: certcheck_api::model::GatewayCertificate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MtlsRecord {
    pub(crate) account_id: String,
    pub(crate) certificate: certcheck_api::model::MtlsCertificate,
    pub(crate) associations: Vec<certcheck_api::model::MtlsAssociation>,
}

impl Store {
    /// The next creation number.
    pub(crate) fn next(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence
    }

    /// Reads the state file; a missing file is an empty store.
    pub(crate) fn load(path: &Path) -> Result<Self, ServerError> {
        let state = |problem| ServerError::State { path: path.to_path_buf(), problem };
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| state(StateProblem::Unreadable(e))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(state(StateProblem::Io(error))),
        }
    }
}

/// The file the state lives in: `path` itself, refused when it is a symbolic link unless
/// `follow_link`, then the file the link leads to (through every link, by its canonical folder).
pub(crate) fn resolve(path: &Path, follow_link: bool) -> Result<PathBuf, ServerError> {
    let state = |problem| ServerError::State { path: path.to_path_buf(), problem };
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {}
        Ok(_) => return Ok(path.to_path_buf()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(error) => return Err(state(StateProblem::Io(error))),
    }
    if !follow_link {
        return Err(state(StateProblem::Symlink));
    }
    // Follow the chain of links by hand: the target may not exist yet (a fresh state).
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = std::fs::read_link(&target).map_err(|e| state(StateProblem::Io(e)))?;
                target = folder_of(&target).join(next);
            }
            Ok(_) => break,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => break,
            Err(error) => return Err(state(StateProblem::Io(error))),
        }
    }
    let name = target.file_name().map(ToOwned::to_owned).ok_or_else(|| state(StateProblem::Symlink))?;
    let folder = folder_of(&target).canonicalize().map_err(|e| state(StateProblem::Io(e)))?;
    let resolved = folder.join(name);
    if std::fs::symlink_metadata(&resolved).is_ok_and(|meta| meta.file_type().is_symlink()) {
        return Err(state(StateProblem::Symlink));
    }
    Ok(resolved)
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Removes temporary files a killed process left beside the state file (`.NAME.RANDOM.tmp`): they
/// were never renamed into place, so the state file does not depend on them.
pub(crate) fn remove_leftovers(path: &Path) {
    let folder =
        path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let prefix = format!(".{name}.");
    for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes encoded state atomically: a new file `.NAME.<128 random bits>.tmp` beside `path`
/// (created exclusively, mode 0600; another name is drawn if one exists), fsync, rename over
/// `path` (which replaces whatever is there, a link included, without following it), fsync of
/// the folder.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ServerError> {
    let folder = folder_of(path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "state".to_owned());
    let state = |problem| ServerError::State { path: path.to_path_buf(), problem };
    let random = SystemRandom::new();
    let mut created = None;
    for _ in 0..8 {
        let mut suffix = [0u8; 16];
        random.fill(&mut suffix).map_err(|_| state(StateProblem::Io(std::io::Error::other("no randomness"))))?;
        let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
        let temporary = folder.join(format!(".{name}.{suffix}.tmp"));
        match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temporary) {
            Ok(file) => {
                created = Some((file, temporary));
                break;
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(state(StateProblem::Io(error))),
        }
    }
    let Some((mut file, temporary)) = created else {
        return Err(state(StateProblem::Io(std::io::Error::from(std::io::ErrorKind::AlreadyExists))));
    };
    let mut write = || -> std::io::Result<()> {
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        // The rename itself must reach the disk too.
        std::fs::File::open(&folder)?.sync_all()
    };
    write().map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        state(StateProblem::Io(error))
    })
}
