//! Shared helpers: the workspace root and running commands loudly.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (two levels above this crate).
pub(crate) fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).map_or(manifest.clone(), PathBuf::from)
}

/// Cargo's target directory (`CARGO_TARGET_DIR` when set).
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Runs a command in the workspace root, failing on a non-zero status.
pub(crate) fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let status = Command::new(program)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{program} {}` failed ({status})", args.join(" "))) }
}

/// Runs cargo with the same toolchain that runs xtask.
pub(crate) fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(&cargo, args)
}

/// Whether a program is on PATH.
pub(crate) fn have(program: &str) -> bool {
    find(program).is_some()
}

/// Where a program is on PATH (or in Cargo's bin folder, where `cargo install` puts it).
pub(crate) fn find(program: &str) -> Option<PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"));
    let paths = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default();
    paths.into_iter().chain(cargo_bin).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

/// Every file below `dir`, sorted.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { pending.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    files
}

/// ", target 3.1 GB, 40.2 GB free": the target folder's size and the space left on its disk,
/// for the stage lines of `cargo xtask test` (a CI machine once ran out of disk mid-run); empty
/// where `du` or `df` cannot tell.
pub(crate) fn disk_note() -> String {
    let target = target_dir();
    let kilobytes = |program: &str, args: &[&str], column: usize| -> Option<f64> {
        let output = Command::new(program).args(args).arg(&target).output().ok()?;
        let text = String::from_utf8(output.stdout).ok()?;
        let line = text.lines().last()?;
        line.split_whitespace().nth(column)?.parse::<f64>().ok()
    };
    let gigabytes = |kb: f64| kb * 1024.0 / 1e9;
    match (kilobytes("du", &["-sk"], 0), kilobytes("df", &["-Pk"], 3)) {
        (Some(used), Some(free)) => format!(", target {:.1} GB, {:.1} GB free", gigabytes(used), gigabytes(free)),
        _ => String::new(),
    }
}
