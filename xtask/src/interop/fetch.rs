//! The release binaries, fetched once into a cache: `npm pack` (the npm registry is the only
//! source), the tarball's sha256 checked, only the binary extracted (system `tar`), its sha256
//! checked, then renamed into place.
//!
//! The cache is `target/interop/cache/<version>/codex`, or `$INTEROP_CACHE/<version>/codex`. A
//! cached binary is used when its sha256 is the pinned one; otherwise it is fetched again.
//! Extraction uses the system `tar` rather than the flate2 and tar crates: every machine that
//! has `npm` has it, and it keeps two crates out of xtask's build for one call.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::releases::Release;

/// The environment variable that moves the cache.
pub const CACHE_VAR: &str = "INTEROP_CACHE";

/// The cache folder: `$INTEROP_CACHE`, or `<target>/interop/cache`.
pub fn cache_root(target: &Path) -> PathBuf {
    match std::env::var_os(CACHE_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => target.join("interop").join("cache"),
    }
}

/// Where the binary of `release` lives in the cache.
pub fn cached_binary(cache: &Path, release: &Release) -> PathBuf {
    cache.join(&release.version).join("codex")
}

/// The binary of `release`, from the cache when its sha256 is the pinned one, otherwise
/// fetched from the npm registry first. `log` hears what is done.
pub fn ensure(
    cache: &Path,
    release: &Release,
    log: &mut dyn FnMut(&str),
) -> Result<PathBuf, String> {
    let binary = cached_binary(cache, release);
    if binary.exists() {
        let found = sha256_file(&binary)?;
        if found == release.binary_sha256 {
            return Ok(binary);
        }
        log(&format!(
            "{}: sha256 {found}, expected {}: fetching it again",
            binary.display(),
            release.binary_sha256
        ));
    }
    fetch(cache, release, &binary, log)?;
    Ok(binary)
}

fn fetch(
    cache: &Path,
    release: &Release,
    binary: &Path,
    log: &mut dyn FnMut(&str),
) -> Result<(), String> {
    let folder = binary.parent().unwrap_or(cache);
    std::fs::create_dir_all(folder).map_err(|err| format!("{}: {err}", folder.display()))?;
    // In the cache itself, so that the final rename stays on one file system.
    let scratch = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(cache)
        .map_err(|err| format!("{}: cannot create a scratch folder: {err}", cache.display()))?;
    log(&format!("npm pack {} (about 120 MB) …", release.npm));
    let output = Command::new(npm_program())
        .args(["pack", &release.npm, "--pack-destination"])
        .arg(scratch.path())
        .args(["--silent", "--no-fund", "--no-audit"])
        .output()
        .map_err(|err| {
            format!("could not run `npm pack {}` (is npm installed?): {err}", release.npm)
        })?;
    if !output.status.success() {
        return Err(format!(
            "`npm pack {}` failed ({}): {}",
            release.npm,
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let tarball = single_tarball(scratch.path(), &release.npm)?;
    verify(
        &tarball,
        &format!("the tarball of `npm pack {}`", release.npm),
        &release.tarball_sha256,
    )?;

    let extracted = scratch.path().join("x");
    std::fs::create_dir(&extracted).map_err(|err| format!("{}: {err}", extracted.display()))?;
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&extracted)
        .arg(&release.binary_path)
        .status()
        .map_err(|err| format!("could not run `tar` to extract {}: {err}", release.binary_path))?;
    if !status.success() {
        return Err(format!(
            "`tar -xzf {}` could not extract `{}` ({status}): is `binary_path` in interop/releases.toml right?",
            tarball.display(),
            release.binary_path
        ));
    }
    let candidate = extracted.join(&release.binary_path);
    verify(
        &candidate,
        &format!("`{}` of {}", release.binary_path, release.npm),
        &release.binary_sha256,
    )?;
    make_executable(&candidate)?;
    std::fs::rename(&candidate, binary).map_err(|err| {
        format!("cannot move {} to {}: {err}", candidate.display(), binary.display())
    })?;
    log(&format!("{} {} → {}", release.npm, release.binary_sha256, binary.display()));
    Ok(())
}

/// `npm` (on Windows the program is `npm.cmd`).
fn npm_program() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// The one `.tgz` file `npm pack` wrote into `folder`.
fn single_tarball(folder: &Path, spec: &str) -> Result<PathBuf, String> {
    let entries =
        std::fs::read_dir(folder).map_err(|err| format!("{}: {err}", folder.display()))?;
    let mut tarballs = Vec::new();
    for entry in entries {
        let path = entry.map_err(|err| format!("{}: {err}", folder.display()))?.path();
        if path.extension().is_some_and(|ext| ext == "tgz") {
            tarballs.push(path);
        }
    }
    match tarballs.len() {
        1 => Ok(tarballs.remove(0)),
        n => Err(format!(
            "`npm pack {spec}` wrote {n} .tgz files into {}, expected one",
            folder.display()
        )),
    }
}

/// Checks that the sha256 of `path` is `expected`; the error names what was checked, what was
/// expected and what was found.
pub fn verify(path: &Path, what: &str, expected: &str) -> Result<(), String> {
    let found = sha256_file(path)?;
    check_sha256(what, expected, &found)
}

/// The error text of a sha256 mismatch (`None` when they are the same).
pub fn check_sha256(what: &str, expected: &str, found: &str) -> Result<(), String> {
    if found == expected {
        return Ok(());
    }
    Err(format!(
        "sha256 mismatch for {what}: expected {expected} (interop/releases.toml), found {found}; \
         the release was not used. If the registry really changed it, check why before pinning the new value"
    ))
}

/// The sha256 of a file, in lowercase hex, read in blocks.
pub fn sha256_file(path: &Path) -> Result<String, String> {
    let mut file = File::open(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut block).map_err(|err| format!("{}: {err}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|err| format!("{}: cannot make it executable: {err}", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(
            sha256_file(&path).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let missing = sha256_file(&dir.path().join("nope")).unwrap_err();
        assert!(missing.contains("nope"), "{missing}");
    }

    #[test]
    fn a_mismatch_names_what_was_expected_and_found() {
        let expected = "a".repeat(64);
        let found = "b".repeat(64);
        assert_eq!(check_sha256("the tarball", &expected, &expected), Ok(()));
        let err = check_sha256("the tarball of `npm pack @openai/codex@0.66.0`", &expected, &found)
            .unwrap_err();
        assert!(
            err.starts_with(&format!(
                "sha256 mismatch for the tarball of `npm pack @openai/codex@0.66.0`: expected {expected} (interop/releases.toml), found {found}"
            )),
            "{err}"
        );
    }

    #[test]
    fn a_cached_binary_with_the_pinned_sha256_is_used_as_it_is() {
        let cache = tempfile::tempdir().unwrap();
        let release = Release {
            version: "9.9.9".into(),
            // Never run: the cache answers.
            npm: "@example/never-fetched@9.9.9".into(),
            tarball_sha256: "0".repeat(64),
            binary_path: "package/bin".into(),
            binary_sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
                .into(),
        };
        let binary = cached_binary(cache.path(), &release);
        std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
        std::fs::write(&binary, b"abc").unwrap();
        let mut log = Vec::new();
        let found = ensure(cache.path(), &release, &mut |line| log.push(line.to_owned())).unwrap();
        assert_eq!(found, binary);
        assert!(log.is_empty(), "{log:?}");
    }
}
