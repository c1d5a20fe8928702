//! Starting a server (or client) under test as a process the kit owns: once per scenario,
//! optionally with folders of its own (`--fresh-dir-env VAR`, `{tmpdir}` in its arguments),
//! in a process group of its own that is killed whole when the scenario ends — also when the
//! kit is interrupted — so that nothing the kit started outlives it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::process::{Child, Command};

/// The peer under test could not be reached (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The placeholder in the command's arguments that becomes the scenario's own folder.
pub const TMPDIR: &str = "{tmpdir}";

/// How to start the process under test.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// The program and its arguments (`{tmpdir}` replaced per start).
    pub argv: Vec<String>,
    /// Environment variables set to a fresh, empty folder per start (`CODEX_HOME`).
    pub fresh_env: Vec<String>,
    /// Written as `config.toml` into each of the fresh folders (the stand-in model API's
    /// configuration), when set.
    pub config: Option<String>,
    /// More environment variables for the process.
    pub env: Vec<(String, String)>,
}

impl Launch {
    /// A command started as it is, in the kit's working folder.
    pub fn plain(argv: Vec<String>) -> Self {
        Launch { argv, ..Launch::default() }
    }

    /// Whether each start gets folders of its own (and the process runs in a fresh working
    /// folder).
    pub fn isolated(&self) -> bool {
        !self.fresh_env.is_empty() || self.argv.iter().any(|arg| arg.contains(TMPDIR))
    }

    /// Starts the process for scenario `name`: its folders (when isolated), its own process
    /// group, stdio piped (stderr to the kit's when `show_stderr`, else nowhere).
    pub fn start(&self, name: &str, show_stderr: bool) -> Result<Started, StartError> {
        let Some((program, args)) = self.argv.split_first() else {
            return Err(StartError("no command given: `-- CMD [ARGS]`".to_owned()));
        };
        let folder = if self.isolated() { Some(Folder::create(name)?) } else { None };
        let mut command = Command::new(resolve(program));
        match &folder {
            Some(folder) => {
                let root = folder.path.display().to_string();
                command.args(args.iter().map(|arg| arg.replace(TMPDIR, &root)));
                command.current_dir(folder.work()?);
                for var in &self.fresh_env {
                    let dir = folder.fresh(var)?;
                    if let Some(config) = &self.config {
                        let path = dir.join("config.toml");
                        std::fs::write(&path, config).map_err(|err| {
                            StartError(format!("cannot write {}: {err}", path.display()))
                        })?;
                    }
                    command.env(var, dir);
                }
            }
            None => {
                command.args(args);
            }
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if show_stderr { Stdio::inherit() } else { Stdio::null() })
            .kill_on_drop(true);
        #[cfg(unix)]
        command.process_group(0);
        let mut child = command
            .spawn()
            .map_err(|err| StartError(format!("cannot start `{program}`: {err}")))?;
        let group = Group(child.id());
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(StartError(format!("`{program}` started without piped stdio")));
        };
        Ok(Started { child, stdin, stdout, owned: Owned { _group: group, folder } })
    }
}

/// A started process: its stdio, the child, and what is removed with it.
pub struct Started {
    /// The process.
    pub child: Child,
    /// Its stdin.
    pub stdin: tokio::process::ChildStdin,
    /// Its stdout.
    pub stdout: tokio::process::ChildStdout,
    /// Its process group and folder, ended when dropped.
    pub owned: Owned,
}

/// What a started process leaves to clean up: its process group (killed) and its folder
/// (removed), both when dropped — after the process exited, or because the kit stops.
pub struct Owned {
    /// Held for its drop (the group is killed before the folder is removed).
    _group: Group,
    folder: Option<Folder>,
}

impl Owned {
    /// The scenario's own folder, when it has one.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_ref().map(|folder| folder.path.as_path())
    }
}

/// A process group led by the process with this id: everything in it is killed on drop.
struct Group(Option<u32>);

impl Drop for Group {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self.0.and_then(|pid| i32::try_from(pid).ok()) {
            use rustix::process::{Pid, Signal, kill_process_group};
            // A group that is already gone answers ESRCH: nothing is left to end.
            if let Some(pid) = Pid::from_raw(pid) {
                let _ = kill_process_group(pid, Signal::KILL);
            }
        }
    }
}

/// A folder of one start, removed on drop: `{tmpdir}` is its path, `work/` the process's
/// working folder, one sub-folder per `--fresh-dir-env` variable.
struct Folder {
    path: PathBuf,
}

/// The start of the name of every scenario folder: `app-server-kit-conform-<pid>-…`.
const PREFIX: &str = "app-server-kit-conform-";

impl Folder {
    /// A new, empty folder in the temporary folder (the folders that kits which were killed
    /// left behind are removed first).
    fn create(name: &str) -> Result<Folder, StartError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let temp = std::env::temp_dir();
        SWEPT.call_once(|| sweep(&temp));
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = temp.join(format!("{PREFIX}{}-{name}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Folder { path }),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(err) => {
                    return Err(StartError(format!("cannot create {}: {err}", path.display())));
                }
            }
        }
    }

    fn work(&self) -> Result<PathBuf, StartError> {
        self.sub("work")
    }

    fn fresh(&self, var: &str) -> Result<PathBuf, StartError> {
        self.sub(&format!("env-{var}"))
    }

    fn sub(&self, name: &str) -> Result<PathBuf, StartError> {
        let path = self.path.join(name);
        std::fs::create_dir_all(&path)
            .map_err(|err| StartError(format!("cannot create {}: {err}", path.display())))?;
        Ok(path)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        // A folder that cannot be removed fails nothing; it is in the temporary folder.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Removes the scenario folders in `temp` whose kit no longer runs (it was killed before it
/// could remove them).
fn sweep(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|name| name.strip_prefix(PREFIX)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !running(pid)) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id runs (on other systems than Unix: assumed so).
fn running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, test_kill_process};
        let pid = i32::try_from(pid).ok().and_then(Pid::from_raw);
        // EPERM: it runs, as another user.
        pid.is_some_and(
            |pid| !matches!(test_kill_process(pid), Err(err) if err == rustix::io::Errno::SRCH),
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// A program named by a relative path (`./my-server`) is found from the kit's working folder,
/// although the process starts in its own; a bare name is looked up on PATH as usual.
fn resolve(program: &str) -> PathBuf {
    let path = Path::new(program);
    if path.is_relative()
        && path.components().count() > 1
        && let Ok(absolute) = std::path::absolute(path)
    {
        return absolute;
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_kits_that_no_longer_run_are_swept() {
        let temp = std::env::temp_dir().join(format!("conform-sweep-{}", std::process::id()));
        // A pid above any the kernel hands out (pid_max is at most 2^22).
        let stale = temp.join(format!("{PREFIX}{}-turn-0", 1u32 << 23));
        let ours = temp.join(format!("{PREFIX}{}-turn-0", std::process::id()));
        let other = temp.join("unrelated");
        for dir in [&stale, &ours, &other] {
            std::fs::create_dir_all(dir.join("work")).unwrap();
        }
        sweep(&temp);
        assert!(!stale.exists() && ours.exists() && other.exists());
        let _ = std::fs::remove_dir_all(&temp);
    }

    #[test]
    fn relative_programs_are_found_from_the_kit_s_folder() {
        assert_eq!(resolve("codex"), PathBuf::from("codex"));
        assert!(resolve("./bin/server").is_absolute());
        assert_eq!(resolve("/usr/bin/env"), PathBuf::from("/usr/bin/env"));
    }
}
