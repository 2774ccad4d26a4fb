//! The sandbox's records and their persistence: one JSON document, rewritten atomically (write
//! a temporary file in the same folder, fsync it, rename over the old one, fsync the folder),
//! so a crash mid-write leaves the previous state readable.

use crate::error::{ServerError, StateProblem};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

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

/// Removes temporary files a killed process left beside the state file (`.NAME.PID.tmp`): they
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

/// Writes encoded state atomically.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ServerError> {
    let folder =
        path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "state".to_owned());
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        // The rename itself must reach the disk too.
        if let Ok(dir) = std::fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    };
    write().map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        ServerError::State { path: path.to_path_buf(), problem: StateProblem::Io(error) }
    })
}
