//! Names the commit the binary is built from, for `--version` (`CERTCHECK_COMMIT`): the commit
//! `cargo package` recorded in `.cargo_vcs_info.json` when built from a package (crates.io,
//! `cargo install`, the verification build), else HEAD of the git checkout that tracks this
//! crate, else "unknown" (a source tree without git). No dependencies; git is optional.
//! certcheck-server builds with this same file (`build = "../certcheck-cli/build.rs"`).

use std::path::Path;
use std::process::Command;

fn main() {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let dir = Path::new(&dir);
    let commit = packaged(dir).or_else(|| checkout(dir)).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=CERTCHECK_COMMIT={commit}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// The commit `cargo package` wrote into the package (`"sha1": "<40 hex>"`), shortened; with
/// "-dirty" when the files were packaged from a changed work tree.
fn packaged(dir: &Path) -> Option<String> {
    let info = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let (_, rest) = info.split_once("\"sha1\"")?;
    let sha1: String =
        rest.chars().skip_while(|c| !c.is_ascii_hexdigit()).take_while(char::is_ascii_hexdigit).collect();
    let short = sha1.get(..12)?.to_owned();
    let dirty =
        info.split_once("\"dirty\"").is_some_and(|(_, rest)| rest.trim_start_matches([':', ' ']).starts_with("true"));
    Some(if dirty { format!("{short}-dirty") } else { short })
}

/// HEAD of the git checkout this crate's manifest is tracked in (not merely some repository the
/// folder happens to lie in), and the files that change when HEAD moves, to run again then.
fn checkout(dir: &Path) -> Option<String> {
    git(dir, &["ls-files", "--error-unmatch", "Cargo.toml"])?;
    let commit = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(dir, &["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(dir, &["rev-parse", "--path-format=absolute", "--git-path", &name])
            && Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    Some(commit)
}

/// A git command's first line of output, when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let line = text.lines().next()?.trim().to_owned();
    (output.status.success() && !line.is_empty()).then_some(line)
}
