//! `cargo xtask dist npm`: builds the npm package into target/npm/certcheck/ — two wasm modules
//! (release profile `wasm-fast`, wasm-bindgen `--target web` without a default module URL,
//! wasm-opt -O3): the lean one a browser uses from the first call (`certcheck_wasm`: the core
//! without signature verification, key derivation and the vendor response models) and the full
//! one (`certcheck_full`: every feature; Node uses it from the first call, browsers after
//! `await load()`), each embedded in JavaScript as base64 of its gzip (`<name>_data.js`, unpacked
//! by npm/unpack.js: no asset URL for a bundler to follow, no top-level await) — the
//! hand-written entry points and types from npm/, package.json with the Cargo version, README
//! and LICENSE; and prints what a browser downloads, raw and gzipped.
//!
//! `cargo xtask dist cli`: static release binaries of `certcheck` and `certcheck-server`
//! (x86_64-unknown-linux-musl, profile `dist`: release, stripped) into target/dist/cli/ with a
//! SHA256SUMS file (`sha256sum -c SHA256SUMS` checks them); the image (`cargo xtask image`)
//! takes its server from there.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{setup, util};

/// Files copied from npm/ as they are.
const TEMPLATE_FILES: [&str; 8] =
    ["api.js", "exports.js", "state.js", "unpack.js", "node.js", "browser.js", "certcheck.d.ts", "README.md"];

/// What a browser fetches for `import { check } from "certcheck"`: the entry, the wrapper, the
/// unpacker, the glue and the lean module.
pub(crate) const BROWSER_FILES: [&str; 7] =
    ["browser.js", "exports.js", "state.js", "api.js", "unpack.js", "certcheck_wasm.js", "certcheck_wasm_data.js"];

/// What `await load()` fetches on top: the full module and its glue.
pub(crate) const FULL_FILES: [&str; 2] = ["certcheck_full.js", "certcheck_full_data.js"];

/// wasm-opt must be told the features rustc's wasm32 target emits by default.
pub(crate) const WASM_FEATURES: [&str; 7] = [
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
    "--enable-mutable-globals",
];

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("npm") => npm().map(|_| ()),
        Some("cli") => cli().map(|_| ()),
        _ => Err("usage: cargo xtask dist npm|cli".to_owned()),
    }
}

/// The target of the static binaries: musl links statically, so they run on any x86-64 Linux
/// (and in an image with nothing else in it).
pub(crate) const MUSL: &str = "x86_64-unknown-linux-musl";

/// The binaries `dist cli` ships, each from its package.
const BINARIES: [(&str, &str); 2] = [("certcheck", "certcheck-cli"), ("certcheck-server", "certcheck-server")];

/// The file of checksums beside them, in `sha256sum`'s format.
const SUMS: &str = "SHA256SUMS";

/// Builds the static binaries (once per xtask run: the image reuses them), copies them into
/// target/dist/cli/ with SHA256SUMS, checks that each is static and names its version and commit,
/// and returns the folder.
pub(crate) fn cli() -> Result<PathBuf, String> {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    if let Some(out) = BUILT.get() {
        return Ok(out.clone());
    }
    setup::musl_tools()?;
    let mut args = vec!["build", "--quiet", "--profile", "dist", "--target", MUSL];
    for (_, package) in BINARIES {
        args.extend(["-p", package]);
    }
    util::cargo(&args)?;
    let built = util::target_dir().join(MUSL).join("dist");
    let out = util::target_dir().join("dist/cli");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut sums = String::new();
    println!("static binaries ({MUSL}, stripped) in {}:", out.display());
    for (binary, _) in BINARIES {
        let to = out.join(binary);
        copy(&built.join(binary), &to)?;
        let bytes = std::fs::read(&to).map_err(|e| format!("{}: {e}", to.display()))?;
        if !is_static(&bytes)? {
            return Err(format!("{binary} asks for a dynamic loader: it is not a static binary"));
        }
        let digest = certcheck::hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        sums.push_str(&format!("{digest}  {binary}\n"));
        let version = Command::new(&to).arg("--version").output().map_err(|e| format!("cannot run {binary}: {e}"))?;
        let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
        let expected = format!("{binary} {} (commit ", env!("CARGO_PKG_VERSION"));
        if !version.starts_with(&expected) {
            return Err(format!("`{binary} --version` printed {version:?}, not {expected}…)"));
        }
        println!("  {binary:<18} {:>9} bytes  {version}", bytes.len());
    }
    std::fs::write(out.join(SUMS), &sums).map_err(|e| format!("cannot write {SUMS}: {e}"))?;
    if util::have("sha256sum") {
        let status = Command::new("sha256sum")
            .args(["--check", "--quiet", SUMS])
            .current_dir(&out)
            .status()
            .map_err(|e| format!("cannot run sha256sum: {e}"))?;
        if !status.success() {
            return Err(format!("`sha256sum --check {SUMS}` failed ({status})"));
        }
    }
    print!("  {SUMS}:\n{sums}");
    let _ = BUILT.set(out.clone());
    Ok(out)
}

/// The crates published to crates.io, packaged together (cargo resolves their path dependencies
/// on each other among the packages being made).
const PACKAGES: [&str; 4] = ["certcheck", "certcheck-api", "certcheck-generate", "certcheck-cli"];

/// `cargo package` of [`PACKAGES`] with its verification build (each package built from its
/// .crate alone), then each package's size and file count. In a target folder of its own: the
/// verification builds without the workspace's profiles (dependencies at opt-level 0), so it
/// shares no artifact with the workspace's builds, and its `certcheck` binary would otherwise
/// replace target/debug/certcheck, which the CLI tests run.
pub(crate) fn package() -> Result<(), String> {
    let target = util::target_dir().join("package-verify");
    let target_arg = target.display().to_string();
    // --allow-dirty: a developer's uncommitted work is packaged as it is (and marked so), not refused.
    forget_packaged_sources(&target)?;
    // The verification builds keep no debug info and no incremental state: they are built to be
    // thrown away, and a CI machine's disk is not large (a full `cargo xtask test` once ran out).
    let mut args = vec![
        "package",
        "--quiet",
        "--allow-dirty",
        "--target-dir",
        &target_arg,
        "--config",
        "profile.dev.debug=0",
        "--config",
        "profile.dev.incremental=false",
    ];
    for package in PACKAGES {
        args.extend(["-p", package]);
    }
    util::cargo(&args)?;
    let version = env!("CARGO_PKG_VERSION");
    for package in PACKAGES {
        let file = target.join(format!("package/{package}-{version}.crate"));
        let bytes = std::fs::metadata(&file).map_err(|e| format!("{}: {e}", file.display()))?.len();
        let listing = Command::new("tar").arg("-tzf").arg(&file).output().map_err(|e| format!("tar: {e}"))?;
        let files = String::from_utf8_lossy(&listing.stdout).lines().filter(|l| !l.ends_with('/')).count();
        println!("  {package}-{version}.crate  {bytes:>8} bytes, {files} files");
    }
    Ok(())
}

/// Cargo verifies a package against the others of the same run through a local registry: it
/// extracts them into `$CARGO_HOME/registry/src/-<id>/<name>-<version>` and, as for any registry
/// crate, trusts a build of the same name and version made before. A package would then be
/// verified against its neighbours' old code. So the extracted copies of ours (only in the local
/// registries' folders, whose names start with `-`; crates.io's are left alone) and their
/// fingerprints in `target` go first; the dependencies' builds are kept.
fn forget_packaged_sources(target: &Path) -> Result<(), String> {
    let fingerprints = target.join("debug/.fingerprint");
    for entry in std::fs::read_dir(&fingerprints).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = PACKAGES.iter().any(|package| {
            name.strip_prefix(package)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()))
        });
        if ours {
            std::fs::remove_dir_all(entry.path())
                .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
        }
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let version = env!("CARGO_PKG_VERSION");
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else { return Ok(()) };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for package in PACKAGES {
            let stale = registry.path().join(format!("{package}-{version}"));
            if stale.exists() {
                std::fs::remove_dir_all(&stale).map_err(|e| format!("cannot remove {}: {e}", stale.display()))?;
            }
        }
    }
    Ok(())
}

/// Whether an ELF executable has no program interpreter (PT_INTERP): a static binary.
fn is_static(elf: &[u8]) -> Result<bool, String> {
    let field = |at: usize, size: usize| -> Result<u64, String> {
        let bytes = elf.get(at..at + size).ok_or("truncated ELF file")?;
        Ok(bytes.iter().rev().fold(0, |value, byte| value << 8 | u64::from(*byte)))
    };
    // 64-bit little-endian only: the one target built here.
    if elf.get(..6) != Some(b"\x7fELF\x02\x01".as_slice()) {
        return Err("not a 64-bit little-endian ELF file".to_owned());
    }
    let (table, entry_size, entries) = (field(0x20, 8)?, field(0x36, 2)?, field(0x38, 2)?);
    for index in 0..entries {
        let at = usize::try_from(table + index * entry_size).map_err(|_| "ELF offset out of range")?;
        const PT_INTERP: u64 = 3;
        if field(at, 4)? == PT_INTERP {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Builds the package and returns its directory.
pub(crate) fn npm() -> Result<PathBuf, String> {
    setup::wasm_tools()?;
    let target = util::target_dir();
    let out = target.join("npm/certcheck");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    // Both for speed: opt-level 3 makes `check` about 1.6× as fast as "s" for 13 KB more of the
    // lean module gzipped (150 against 137 KB; docs/BENCHMARKS.md). The lean one leaves out
    // what most pages never call.
    module(&out, "certcheck_full", &[], "wasm-fast", "-O3")?;
    module(&out, "certcheck_wasm", &["--no-default-features"], "wasm-fast", "-O3")?;

    let root = util::root();
    for file in TEMPLATE_FILES {
        copy(&root.join("npm").join(file), &out.join(file))?;
    }
    copy(&root.join("LICENSE"), &out.join("LICENSE"))?;
    let template = std::fs::read_to_string(root.join("npm/package.json"))
        .map_err(|e| format!("cannot read npm/package.json: {e}"))?;
    let manifest = template.replace("0.0.0-set-by-xtask", env!("CARGO_PKG_VERSION"));
    if manifest == template {
        return Err("npm/package.json has no version placeholder \"0.0.0-set-by-xtask\"".to_owned());
    }
    std::fs::write(out.join("package.json"), manifest).map_err(|e| format!("cannot write package.json: {e}"))?;

    println!("built {}", out.display());
    let sizes = sizes(&out)?;
    for (file, raw, gzipped) in &sizes {
        println!("  {file:<28} {:>8} bytes  {:>7} gzipped", raw, gzipped);
    }
    let (raw, gzipped) = sizes.iter().fold((0, 0), |(r, g), (_, raw, gz)| (r + raw, g + gz));
    println!(
        "  what `import {{ check }} from \"certcheck\"` downloads: {raw} bytes, {gzipped} bytes gzipped ({:.1} KB; goal ≤ 100 KB)",
        gzipped as f64 / 1000.0
    );
    let full = file_sizes(&out, &FULL_FILES)?;
    for (file, raw, gzipped) in &full {
        println!("  {file:<28} {:>8} bytes  {:>7} gzipped", raw, gzipped);
    }
    let (raw, gzipped) = full.iter().fold((0, 0), |(r, g), (_, raw, gz)| (r + raw, g + gz));
    println!("  what `await load()` adds: {raw} bytes, {gzipped} bytes gzipped ({:.1} KB)", gzipped as f64 / 1000.0);
    Ok(out)
}

/// Builds certcheck-wasm with `features` and cargo `profile` into `out` as `name.js` (the glue) +
/// `name_data.js` (the module, optimized by wasm-opt at `level`, as base64 of its gzip).
pub(crate) fn module(out: &Path, name: &str, features: &[&str], profile: &str, level: &str) -> Result<(), String> {
    let wasm = bare_module(out, name, features, profile, level)?;
    embed(&wasm, &out.join(format!("{name}_data.js")))?;
    std::fs::remove_file(&wasm).map_err(|e| format!("cannot remove {}: {e}", wasm.display()))
}

/// The module as it is embedded: `export default "<base64 of gzip -9 -n>";`. gzip, not the raw
/// bytes: base64 of the raw module gzips to 37 % more than the module, base64 of its gzip to
/// 1 % more.
fn embed(wasm: &Path, to: &Path) -> Result<(), String> {
    let gzip = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(wasm)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    if !gzip.status.success() {
        return Err(format!("gzip {} failed ({})", wasm.display(), gzip.status));
    }
    let text = base64(&gzip.stdout);
    let name = wasm.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let js = format!(
        "// {name} (wasm-opt output), gzip -9, base64: npm/unpack.js turns it back into the module's bytes.\n\
         export default \"{text}\";\n"
    );
    std::fs::write(to, js).map_err(|e| format!("cannot write {}: {e}", to.display()))
}

/// RFC 4648 base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digit = |value: u32| char::from(ALPHABET[(value & 63) as usize]);
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = |i: usize| u32::from(group.get(i).copied().unwrap_or(0));
        let value = (b(0) << 16) | (b(1) << 8) | b(2);
        text.push(digit(value >> 18));
        text.push(digit(value >> 12));
        text.push(if group.len() > 1 { digit(value >> 6) } else { '=' });
        text.push(if group.len() > 2 { digit(value) } else { '=' });
    }
    text
}

/// Builds certcheck-wasm with `features` and cargo `profile` into `out` as `name.js` +
/// `name_bg.wasm`, optimized by wasm-opt at `level`; returns the .wasm's path.
pub(crate) fn bare_module(
    out: &Path,
    name: &str,
    features: &[&str],
    profile: &str,
    level: &str,
) -> Result<PathBuf, String> {
    let mut args =
        vec!["build", "--quiet", "-p", "certcheck-wasm", "--target", "wasm32-unknown-unknown", "--profile", profile];
    args.extend_from_slice(features);
    util::cargo(&args)?;
    let module = util::target_dir().join(format!("wasm32-unknown-unknown/{profile}/certcheck_wasm.wasm"));
    run_tool(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--omit-default-module-path", "--out-name", name, "--out-dir"])
            .arg(out)
            .arg(&module),
    )?;
    let wasm = out.join(format!("{name}_bg.wasm"));
    run_tool(Command::new("wasm-opt").arg(level).args(WASM_FEATURES).arg(&wasm).arg("-o").arg(&wasm))?;
    Ok(wasm)
}

/// `(file, bytes, gzip -9 bytes)` for each file a browser downloads for `import`.
pub(crate) fn sizes(dir: &Path) -> Result<Vec<(&'static str, usize, usize)>, String> {
    file_sizes(dir, &BROWSER_FILES)
}

/// `(file, bytes, gzip -9 bytes)` for each of `files`.
pub(crate) fn file_sizes(dir: &Path, files: &[&'static str]) -> Result<Vec<(&'static str, usize, usize)>, String> {
    files
        .iter()
        .map(|&file| {
            let path = dir.join(file);
            let raw = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?.len() as usize;
            let gzip = Command::new("gzip")
                .args(["-9", "-c"])
                .arg(&path)
                .output()
                .map_err(|e| format!("cannot run gzip: {e}"))?;
            Ok((file, raw, gzip.stdout.len()))
        })
        .collect()
}

pub(crate) fn run_tool(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{:?} failed ({status})", command.get_program())) }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}
