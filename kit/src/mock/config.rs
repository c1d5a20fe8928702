//! The mock's user config: a real `config.toml` in a temporary folder, read by
//! `config/read` (and v1 `getUserSavedConfig`) and edited by `config/value/write`,
//! `config/batchWrite` (and v1 `setDefaultModel`) through the `app-server-config-edit`
//! crate: comments and formatting are preserved, `expectedVersion` conflicts are answered
//! with `configVersionConflict`. The folder is removed when the mock ends.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use app_server_config_edit::{apply_config_edits, content_version};
use app_server_protocol::JsonRpcError;
use app_server_protocol::v2::{
    Config, ConfigEdit, ConfigLayer, ConfigLayerMetadata, ConfigLayerSource, ConfigReadResponse,
    ConfigWriteErrorCode, ConfigWriteResponse, ConfigWriteStatus,
};
use serde_json::{Map, Value};
use toml_edit::{DocumentMut, Item, TableLike};

/// The text the mock's config file starts with.
const INITIAL: &str = r#"# The mock app server's user config (a temporary file). Edits made with
# config/value/write and config/batchWrite keep these comments.

# No `model`: the server picks the default model (see model/list).
approval_policy = "on-request" # ask before running commands
sandbox_mode = "workspace-write"
model_reasoning_effort = "medium"

[sandbox_workspace_write]
network_access = false

[tools]
web_search = true

[profiles.work]
model = "gpt-5.1-codex"
approval_policy = "never"

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]
"#;

/// How the mock's temporary folders are named: this, the process id, `-`, a tag.
const FOLDER_PREFIX: &str = "app-server-kit-mock-";

/// Removes the temporary folders of mock processes that no longer run (killed before they
/// could clean up). Only where `/proc` tells which processes run; best effort.
fn remove_stale_folders(temp: &Path) {
    let proc = Path::new("/proc");
    let (true, Ok(entries)) = (proc.is_dir(), std::fs::read_dir(temp)) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|name| name.strip_prefix(FOLDER_PREFIX))
            .and_then(|rest| rest.split('-').next())
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !proc.join(pid).exists() {
            let _gone = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The config file and the folder it lives in.
#[derive(Debug)]
pub(crate) struct ConfigFile {
    folder: PathBuf,
    path: PathBuf,
    /// Held while a write reads, edits and writes the file.
    lock: Mutex<()>,
}

impl ConfigFile {
    /// A fresh config file in a new temporary folder named after this process and `tag`.
    /// Folders of mocks that were killed (their process is gone) are removed first.
    pub(crate) fn create(tag: &str) -> io::Result<Self> {
        remove_stale_folders(&std::env::temp_dir());
        let folder =
            std::env::temp_dir().join(format!("{FOLDER_PREFIX}{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&folder)?;
        let path = folder.join("config.toml");
        std::fs::write(&path, INITIAL)?;
        Ok(ConfigFile { folder, path, lock: Mutex::new(()) })
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The folder the mock's files live in.
    pub(crate) fn folder(&self) -> &Path {
        &self.folder
    }

    fn text(&self) -> Result<String, JsonRpcError> {
        std::fs::read_to_string(&self.path).map_err(|error| {
            JsonRpcError::internal(format!("cannot read {}: {error}", self.path.display()))
        })
    }

    fn user_layer(&self, version: String) -> ConfigLayerMetadata {
        ConfigLayerMetadata {
            name: ConfigLayerSource::User { file: self.path.display().to_string() },
            version,
        }
    }

    /// The file as JSON (a TOML table as an object).
    pub(crate) fn json(&self) -> Result<Value, JsonRpcError> {
        let text = self.text()?;
        let document: DocumentMut = text.parse().map_err(|error| {
            JsonRpcError::internal(format!("{} is not valid TOML: {error}", self.path.display()))
        })?;
        Ok(table_to_json(document.as_table()))
    }

    /// `config/read`: the effective config (the user layer is the only one), the origin of
    /// every key, and the layer on request.
    pub(crate) fn read(&self, include_layers: bool) -> Result<ConfigReadResponse, JsonRpcError> {
        let version = content_version(&self.text()?);
        let json = self.json()?;
        let config: Config = serde_json::from_value(json.clone()).map_err(|error| {
            JsonRpcError::internal(format!("the config file does not fit the config type: {error}"))
        })?;
        let mut origins = BTreeMap::new();
        collect_key_paths(&json, "", &mut |key_path| {
            origins.insert(key_path, self.user_layer(version.clone()));
        });
        let mut response = ConfigReadResponse::new(config, origins);
        if include_layers {
            let layer =
                ConfigLayer { name: self.user_layer(version.clone()).name, version, config: json };
            response.layers = Some(vec![layer]);
        }
        Ok(response)
    }

    /// `config/value/write` and `config/batchWrite`: applies `edits` to the file (all or
    /// nothing), keeping its comments. `file_path` must be the mock's file when given.
    pub(crate) fn write(
        &self,
        edits: &[ConfigEdit],
        file_path: Option<&str>,
        expected_version: Option<&str>,
    ) -> Result<ConfigWriteResponse, JsonRpcError> {
        if let Some(file_path) = file_path
            && Path::new(file_path) != self.path
        {
            let message = format!(
                "{file_path} is not a config layer this server writes; the user config is {}",
                self.path.display()
            );
            let data = serde_json::json!({ "configWriteErrorCode": ConfigWriteErrorCode::ConfigLayerReadonly.as_str() });
            return Err(JsonRpcError::invalid_request(message).with_data(data));
        }
        let _writing = self.lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let edited = apply_config_edits(&self.text()?, edits, expected_version)
            .map_err(|error| error.to_json_rpc_error())?;
        std::fs::write(&self.path, &edited.content).map_err(|error| {
            JsonRpcError::internal(format!("cannot write {}: {error}", self.path.display()))
        })?;
        Ok(ConfigWriteResponse::new(
            ConfigWriteStatus::Ok,
            edited.version,
            self.path.display().to_string(),
        ))
    }
}

impl Drop for ConfigFile {
    fn drop(&mut self) {
        let _gone = std::fs::remove_dir_all(&self.folder);
    }
}

/// Calls `found` with the dotted key path of every value that is not a table.
fn collect_key_paths(value: &Value, prefix: &str, found: &mut dyn FnMut(String)) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let path = if prefix.is_empty() {
                    quote_key(key)
                } else {
                    format!("{prefix}.{}", quote_key(key))
                };
                collect_key_paths(member, &path, found);
            }
        }
        _ => found(prefix.to_owned()),
    }
}

/// A TOML key as a key path segment: bare when it can be, quoted otherwise.
fn quote_key(key: &str) -> String {
    let bare =
        !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { key.to_owned() } else { Value::String(key.to_owned()).to_string() }
}

fn table_to_json(table: &dyn TableLike) -> Value {
    let members: Map<String, Value> = table
        .iter()
        .filter_map(|(key, item)| item_to_json(item).map(|value| (key.to_owned(), value)))
        .collect();
    Value::Object(members)
}

fn item_to_json(item: &Item) -> Option<Value> {
    match item {
        Item::None => None,
        Item::Value(value) => Some(value_to_json(value)),
        Item::Table(table) => Some(table_to_json(table)),
        Item::ArrayOfTables(tables) => {
            Some(Value::Array(tables.iter().map(|table| table_to_json(table)).collect()))
        }
    }
}

fn value_to_json(value: &toml_edit::Value) -> Value {
    use toml_edit::Value as Toml;
    match value {
        Toml::String(text) => Value::String(text.value().clone()),
        Toml::Integer(number) => Value::from(*number.value()),
        Toml::Float(number) => {
            serde_json::Number::from_f64(*number.value()).map_or(Value::Null, Value::Number)
        }
        Toml::Boolean(flag) => Value::Bool(*flag.value()),
        Toml::Datetime(datetime) => Value::String(datetime.value().to_string()),
        Toml::Array(array) => Value::Array(array.iter().map(value_to_json).collect()),
        Toml::InlineTable(table) => table_to_json(table),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app_server_protocol::v2::MergeStrategy;

    #[test]
    fn read_write_keep_comments_and_refuse_stale_versions() {
        let file = ConfigFile::create("unit-test").unwrap();
        let read = file.read(true).unwrap();
        assert_eq!(read.config.model, None);
        assert!(read.origins.contains_key("mcp_servers.docs.command"), "{:?}", read.origins.keys());
        let version = read.layers.unwrap()[0].version.clone();
        let edit = ConfigEdit {
            key_path: "model".into(),
            value: "gpt-5.1".into(),
            merge_strategy: MergeStrategy::Replace,
        };
        let written = file.write(std::slice::from_ref(&edit), None, Some(&version)).unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(
            text.contains("# ask before running commands") && text.contains("model = \"gpt-5.1\""),
            "{text}"
        );
        assert_eq!(written.version, content_version(&text));
        let conflict = file.write(&[edit], None, Some(&version)).unwrap_err();
        assert_eq!(conflict.data.unwrap()["configWriteErrorCode"], "configVersionConflict");
        assert_eq!(quote_key("my.server"), "\"my.server\"");
        let folder = file.folder().to_owned();
        drop(file);
        assert!(!folder.exists());
    }
}
