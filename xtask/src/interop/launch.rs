//! Starting what a session talks to, offline: the stand-in model API (`app-server-kit model`)
//! and a release's `codex app-server` with a CODEX_HOME of its own whose config points at it.
//! Every process is spawned with `kill_on_drop`, so an error path that drops it kills it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// How long the stand-in model API may take to say where it listens.
const MODEL_START: Duration = Duration::from_secs(30);
/// How long a process may take to exit once its input is closed, before it is killed.
pub const EXIT_GRACE: Duration = Duration::from_secs(5);

/// The environment variable that replaces the stand-in model API's command line (split on
/// whitespace), for developing against another stand-in; by default the kit's
/// `app-server-kit model --exit-on-stdin-eof`, built first.
pub const MODEL_COMMAND_VAR: &str = "INTEROP_MODEL_COMMAND";

/// The folders of one session: CODEX_HOME and the server's working folder, in a temporary
/// folder removed when the session ends (unless kept).
pub struct SessionDirs {
    root: tempfile::TempDir,
}

impl SessionDirs {
    /// Creates the folders for session `name` of release `version`.
    pub fn create(version: &str, name: &str) -> Result<SessionDirs, String> {
        let root = tempfile::Builder::new()
            .prefix(&format!("interop-{version}-{name}-"))
            .tempdir()
            .map_err(|err| format!("cannot create a temporary folder: {err}"))?;
        for folder in ["home", "work", "user"] {
            let path = root.path().join(folder);
            std::fs::create_dir(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        }
        Ok(SessionDirs { root })
    }

    /// CODEX_HOME.
    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// The server's working folder.
    pub fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// HOME of the processes (empty: nothing of the user's own home leaks in).
    pub fn user(&self) -> PathBuf {
        self.root.path().join("user")
    }

    /// Where the processes' stderr goes.
    pub fn log(&self, name: &str) -> PathBuf {
        self.root.path().join(format!("{name}.stderr.log"))
    }

    /// Removes the folders, or keeps them (`keep`) and says where they are.
    pub fn finish(self, keep: bool) -> Option<PathBuf> {
        if keep {
            Some(self.root.keep())
        } else {
            // Removed on drop; a failure to remove a temporary folder fails nothing.
            None
        }
    }
}

/// The CODEX_HOME config of a session: the stand-in model API as the only provider.
pub fn config_toml(base_url: &str) -> String {
    format!(
        r#"model = "gpt-5.1-codex"
model_provider = "stub"
approval_policy = "untrusted"
sandbox_mode = "workspace-write"

[model_providers.stub]
name = "stub"
base_url = "{base_url}"
wire_api = "responses"
request_max_retries = 1
stream_max_retries = 1
stream_idle_timeout_ms = 5000
"#
    )
}

/// How to start the stand-in model API.
#[derive(Debug, Clone)]
pub struct ModelCommand {
    program: PathBuf,
    args: Vec<String>,
}

impl ModelCommand {
    /// `$INTEROP_MODEL_COMMAND` when set, else the kit's binary under `target`.
    pub fn resolve(target: &Path) -> Result<(ModelCommand, bool), String> {
        if let Some(line) = std::env::var_os(MODEL_COMMAND_VAR).filter(|v| !v.is_empty()) {
            let line =
                line.into_string().map_err(|_| format!("${MODEL_COMMAND_VAR} is not UTF-8"))?;
            let mut words = line.split_whitespace().map(str::to_owned);
            let program = words.next().ok_or_else(|| format!("${MODEL_COMMAND_VAR} is blank"))?;
            return Ok((ModelCommand { program: program.into(), args: words.collect() }, false));
        }
        let program =
            target.join("debug").join(format!("app-server-kit{}", std::env::consts::EXE_SUFFIX));
        let args = vec!["model".to_owned(), "--exit-on-stdin-eof".to_owned()];
        Ok((ModelCommand { program, args }, true))
    }

    /// The command line, for messages.
    pub fn shown(&self) -> String {
        let mut shown = self.program.display().to_string();
        for arg in &self.args {
            shown.push(' ');
            shown.push_str(arg);
        }
        shown
    }
}

/// A running stand-in model API. It exits when its stdin closes (dropped here) and is killed
/// when dropped.
pub struct Model {
    child: Child,
    _stdin: Option<ChildStdin>,
    _stdout: BufReader<ChildStdout>,
    /// Its base URL, e.g. `http://127.0.0.1:41234/v1`.
    pub base_url: String,
}

impl Model {
    /// Starts it and reads its `base_url=…` line (at most [`MODEL_START`]).
    pub async fn start(command: &ModelCommand, stderr: &Path) -> Result<Model, String> {
        let log =
            std::fs::File::create(stderr).map_err(|err| format!("{}: {err}", stderr.display()))?;
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| {
                format!("could not start the stand-in model API `{}`: {err}", command.shown())
            })?;
        let stdin = child.stdin.take();
        let Some(stdout) = child.stdout.take() else {
            return Err("the stand-in model API's stdout could not be piped".to_owned());
        };
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        let read = tokio::time::timeout(MODEL_START, stdout.read_line(&mut line)).await;
        let why = match read {
            Ok(Ok(_)) => match line.trim_end().strip_prefix("base_url=") {
                Some(url) if url.starts_with("http://") => {
                    let base_url = url.to_owned();
                    return Ok(Model { child, _stdin: stdin, _stdout: stdout, base_url });
                }
                _ if line.is_empty() => "it exited without a line".to_owned(),
                _ => format!("its first line is `{}`", line.trim_end()),
            },
            Ok(Err(err)) => format!("reading its stdout failed: {err}"),
            Err(_) => format!("no line within {} s", MODEL_START.as_secs()),
        };
        let _ = child.kill().await;
        Err(format!(
            "the stand-in model API `{}` did not say where it listens (expected one line `base_url=http://127.0.0.1:PORT/v1`): {why}; its stderr: {}",
            command.shown(),
            tail(stderr)
        ))
    }

    /// Closes its stdin (it exits) and waits for it, killing it after [`EXIT_GRACE`].
    pub async fn stop(mut self) {
        self._stdin = None;
        stop_child(&mut self.child).await;
    }
}

/// Waits for `child` to exit, killing it after [`EXIT_GRACE`].
pub async fn stop_child(child: &mut Child) {
    if tokio::time::timeout(EXIT_GRACE, child.wait()).await.is_err() {
        let _ = child.kill().await;
    }
}

/// The release's server, `codex app-server`, offline: its CODEX_HOME (with the config written
/// here), `OPENAI_API_KEY=sk-test`, `RUST_LOG=error`, the work folder as its working folder, an
/// empty HOME; nothing else of this environment but PATH. Its stderr goes to `stderr`.
pub fn server_command(
    binary: &Path,
    dirs: &SessionDirs,
    base_url: &str,
    stderr: &Path,
) -> Result<Command, String> {
    let config = dirs.home().join("config.toml");
    std::fs::write(&config, config_toml(base_url))
        .map_err(|err| format!("{}: {err}", config.display()))?;
    let log =
        std::fs::File::create(stderr).map_err(|err| format!("{}: {err}", stderr.display()))?;
    let mut command = Command::new(binary);
    command
        .arg("app-server")
        .env_clear()
        .env("CODEX_HOME", dirs.home())
        .env("HOME", dirs.user())
        .env("OPENAI_API_KEY", "sk-test")
        .env("RUST_LOG", "error")
        .current_dir(dirs.work())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log)
        .kill_on_drop(true);
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    Ok(command)
}

/// The last lines of a log, for an error message.
pub fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return "(empty)".to_owned();
    }
    lines[lines.len().saturating_sub(5)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_points_at_the_stand_in() {
        let config = config_toml("http://127.0.0.1:4000/v1");
        let document: toml_edit::DocumentMut = config.parse().unwrap();
        assert_eq!(document["model_provider"].as_str(), Some("stub"));
        assert_eq!(document["approval_policy"].as_str(), Some("untrusted"));
        let stub = &document["model_providers"]["stub"];
        assert_eq!(stub["base_url"].as_str(), Some("http://127.0.0.1:4000/v1"));
        assert_eq!(stub["wire_api"].as_str(), Some("responses"));
        assert_eq!(stub["request_max_retries"].as_integer(), Some(1));
    }
}
