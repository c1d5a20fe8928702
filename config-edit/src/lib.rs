//! Comment-preserving edits of a config file's text (C4): the helper behind
//! `config/value/write` and `config/batchWrite`.
//!
//! This is behaviour, not contract: it lives beside the wire contract (`app-server-protocol`)
//! so that a fix here needs no new release of the contract. It depends on the contract only
//! for wire types: the request's [`ConfigEdit`] and [`MergeStrategy`], the error codes
//! ([`ConfigWriteErrorCode`], [`ConfigWriteErrorData`], [`JsonRpcError`]) and the v2
//! [`Config`] an edited file must still fit.
//!
//! [`apply_config_edits`] applies a list of [`ConfigEdit`]s to the text of a `config.toml`
//! with [`toml_edit`], so that comments, key order, whitespace and the formatting of every
//! untouched key stay byte-for-byte as they were; only the edited values change.
//!
//! # What an edit does
//!
//! - `keyPath` is a dotted path of TOML keys; a segment containing `.`, spaces or quotes is a
//!   TOML quoted key: `mcp_servers."my.server".command`.
//! - A key that does not exist is created in the table the path names, after that table's
//!   last key; missing tables on the way are created (`profiles.work.model` on a file without
//!   `[profiles.work]` adds that table at the end of the file).
//! - `value` is JSON and becomes the TOML value of the same shape: strings, booleans,
//!   integers (up to `i64::MAX`), floats, arrays, and objects (whose members are written in
//!   the order `serde_json` keeps them: sorted by key, as this crate does not enable its
//!   `preserve_order` feature). A new object under a standard
//!   table becomes a `[table]` section; an object replacing an existing value, or written
//!   inside an inline table or an array, becomes an inline table `{ … }`.
//! - `mergeStrategy: "upsert"` merges an object into an existing table key by key (keys not
//!   in the object are kept). `"replace"` makes the table hold exactly the object's keys; keys
//!   that stay keep their comments and formatting. Non-table values are replaced either way,
//!   keeping the old value's trailing comment.
//! - `null` removes the key (or, inside an object value, that member); removing a key that
//!   does not exist is a no-op. `null` inside an array has no TOML form and is rejected.
//! - Edits apply in order, all or nothing: on error nothing is returned but the error.
//! - `expectedVersion`, when given, must equal [`content_version`] of the current text
//!   (`sha256:<hex>` of its bytes), else the write fails with `configVersionConflict`.
//! - When the current text fits the v2 [`Config`] type, the edited text must too (so writing
//!   `approval_policy = "sometimes"` fails with `configValidationError`).
//!
//! The codes this helper produces are `configVersionConflict`, `configValidationError` and
//! `configPathNotFound` (see [`ConfigEditError::code`]); `configLayerReadonly`,
//! `userLayerNotFound` and `configSchemaUnknownKey` are decisions about layers and schema that
//! the server makes before calling it.
//!
//! # Example
//!
//! ```
//! use app_server_config_edit::{apply_config_edits, content_version};
//! use app_server_protocol::v2::{ConfigEdit, MergeStrategy};
//! use serde_json::json;
//!
//! let file = "# my settings\nmodel = \"gpt-5\" # the usual\n\n[mcp_servers.\"my.server\"]\ncommand = \"npx\"\n";
//! let edits = [
//!     ConfigEdit { key_path: "model".into(), value: json!("gpt-5-codex"), merge_strategy: MergeStrategy::Replace },
//!     ConfigEdit { key_path: "mcp_servers.\"my.server\".args".into(), value: json!(["-y", "srv"]), merge_strategy: MergeStrategy::Upsert },
//! ];
//! let edited = apply_config_edits(file, &edits, Some(&content_version(file)))?;
//! assert_eq!(
//!     edited.content,
//!     "# my settings\nmodel = \"gpt-5-codex\" # the usual\n\n[mcp_servers.\"my.server\"]\ncommand = \"npx\"\nargs = [\"-y\", \"srv\"]\n",
//! );
//! assert_eq!(edited.version, content_version(&edited.content));
//!
//! // A stale version is a typed conflict, answered as error.data.configWriteErrorCode.
//! let err = apply_config_edits(&edited.content, &edits, Some(&content_version(file))).unwrap_err();
//! assert_eq!(err.code().as_str(), "configVersionConflict");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;

use serde_json::{Map, Number, Value as Json};
use sha2::{Digest, Sha256};
use toml_edit::{
    Array, ArrayOfTables, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value,
};

use app_server_protocol::jsonrpc::{ErrorCode, JsonRpcError};
use app_server_protocol::v2::{
    Config, ConfigEdit, ConfigWriteErrorCode, ConfigWriteErrorData, MergeStrategy,
};

/// The version of a config file's content: `sha256:` followed by the lowercase hex SHA-256 of
/// its bytes. Changes whenever the bytes change; compare it with `expectedVersion`.
pub fn content_version(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    let mut version = String::with_capacity(7 + 64);
    version.push_str("sha256:");
    for byte in digest {
        version.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        version.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    version
}

/// The result of a successful edit: the new text of the file and its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditedConfig {
    /// The file's new text. Identical to the input when the edit list is empty.
    pub content: String,
    /// [`content_version`] of `content`: the `version` of the `ConfigWriteResponse`.
    pub version: String,
}

/// Why the edits could not be applied. Each variant maps to one [`ConfigWriteErrorCode`]
/// ([`ConfigEditError::code`]); answer with [`ConfigEditError::to_json_rpc_error`].
///
/// Non-exhaustive: a later version may add reasons, so a `match` needs a `_` arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigEditError {
    /// `expectedVersion` is not the version of the current text (`configVersionConflict`):
    /// the file changed since the client read it.
    VersionConflict {
        /// The version the client expected.
        expected: String,
        /// The version of the current text.
        actual: String,
    },
    /// The current text is not valid TOML, so it cannot be edited safely
    /// (`configValidationError`).
    InvalidDocument {
        /// The TOML parser's message, with line and column.
        message: String,
    },
    /// A `keyPath` is not a dotted path of TOML keys, e.g. empty or with an unterminated quote
    /// (`configValidationError`).
    InvalidKeyPath {
        /// Index of the offending edit in the list.
        edit_index: usize,
        /// The key path as given.
        key_path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A `keyPath` runs through something that is not a table, e.g. `model.name` when `model`
    /// is a string, or an array of tables (`configPathNotFound`).
    PathNotFound {
        /// Index of the offending edit in the list.
        edit_index: usize,
        /// The key path as given.
        key_path: String,
        /// Which segment could not be entered, and why.
        message: String,
    },
    /// A `value` has no TOML form: `null` inside an array, or an integer beyond `i64::MAX`
    /// (`configValidationError`).
    InvalidValue {
        /// Index of the offending edit in the list.
        edit_index: usize,
        /// The key path as given.
        key_path: String,
        /// What cannot be represented.
        message: String,
    },
    /// The edited file no longer fits the v2 `Config` type, e.g. an unknown `approval_policy`
    /// value (`configValidationError`). Only checked when the original text fits it.
    InvalidConfig {
        /// The decoder's message, with the path of the offending key.
        message: String,
    },
}

impl ConfigEditError {
    /// The wire code for `error.data.configWriteErrorCode`.
    pub fn code(&self) -> ConfigWriteErrorCode {
        match self {
            ConfigEditError::VersionConflict { .. } => ConfigWriteErrorCode::ConfigVersionConflict,
            ConfigEditError::PathNotFound { .. } => ConfigWriteErrorCode::ConfigPathNotFound,
            ConfigEditError::InvalidDocument { .. }
            | ConfigEditError::InvalidKeyPath { .. }
            | ConfigEditError::InvalidValue { .. }
            | ConfigEditError::InvalidConfig { .. } => ConfigWriteErrorCode::ConfigValidationError,
        }
    }

    /// The `data` member of the JSON-RPC error: `{"configWriteErrorCode": …}`.
    pub fn error_data(&self) -> ConfigWriteErrorData {
        self.code().into()
    }

    /// The JSON-RPC error a server answers with: code -32600, this error's message, and
    /// [`ConfigEditError::error_data`] as `data`.
    pub fn to_json_rpc_error(&self) -> JsonRpcError {
        let data = serde_json::json!({ "configWriteErrorCode": self.code().as_str() });
        JsonRpcError::new(ErrorCode::INVALID_REQUEST, self.to_string()).with_data(data)
    }
}

impl fmt::Display for ConfigEditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigEditError::VersionConflict { expected, actual } => write!(
                f,
                "config file changed since it was read (expected version {expected}, found \
                 {actual}); read it again and retry"
            ),
            ConfigEditError::InvalidDocument { message } => {
                write!(f, "config file is not valid TOML: {message}")
            }
            ConfigEditError::InvalidKeyPath { key_path, message, .. } => {
                write!(f, "invalid key path {key_path:?}: {message}")
            }
            ConfigEditError::PathNotFound { key_path, message, .. } => {
                write!(f, "key path {key_path:?} not found: {message}")
            }
            ConfigEditError::InvalidValue { key_path, message, .. } => {
                write!(f, "invalid value for {key_path:?}: {message}")
            }
            ConfigEditError::InvalidConfig { message } => {
                write!(f, "edited config is not valid: {message}")
            }
        }
    }
}

impl std::error::Error for ConfigEditError {}

/// Applies `edits` in order to the config text `content`; see the module docs.
///
/// `expected_version` is the request's `expectedVersion` (`None`: write regardless).
pub fn apply_config_edits(
    content: &str,
    edits: &[ConfigEdit],
    expected_version: Option<&str>,
) -> Result<EditedConfig, ConfigEditError> {
    let actual = content_version(content);
    if let Some(expected) = expected_version
        && expected != actual
    {
        return Err(ConfigEditError::VersionConflict { expected: expected.to_owned(), actual });
    }
    let mut document: DocumentMut = content.parse().map_err(|error: toml_edit::TomlError| {
        ConfigEditError::InvalidDocument { message: error.to_string().trim_end().to_owned() }
    })?;
    if edits.is_empty() {
        return Ok(EditedConfig { content: content.to_owned(), version: actual });
    }
    let was_valid = fits_config(&document).is_ok();
    for (edit_index, edit) in edits.iter().enumerate() {
        apply_edit(&mut document, edit).map_err(|failure| failure.into_error(edit_index, edit))?;
    }
    if was_valid {
        fits_config(&document).map_err(|message| ConfigEditError::InvalidConfig { message })?;
    }
    let content = match_line_endings(content, document.to_string());
    let version = content_version(&content);
    Ok(EditedConfig { content, version })
}

/// Splits a key path into its keys (`mcp_servers."my.server".command` →
/// `["mcp_servers", "my.server", "command"]`), or says why it is not one.
pub fn parse_key_path(key_path: &str) -> Result<Vec<String>, String> {
    let keys = Key::parse(key_path).map_err(|error| error.message().to_owned())?;
    if keys.is_empty() {
        return Err("empty key path".to_owned());
    }
    Ok(keys.iter().map(|key| key.get().to_owned()).collect())
}

/// An edit failure before the edit's index and key path are attached.
enum Failure {
    KeyPath(String),
    PathNotFound(String),
    Value(String),
}

impl Failure {
    fn into_error(self, edit_index: usize, edit: &ConfigEdit) -> ConfigEditError {
        let key_path = edit.key_path.clone();
        match self {
            Failure::KeyPath(message) => {
                ConfigEditError::InvalidKeyPath { edit_index, key_path, message }
            }
            Failure::PathNotFound(message) => {
                ConfigEditError::PathNotFound { edit_index, key_path, message }
            }
            Failure::Value(message) => {
                ConfigEditError::InvalidValue { edit_index, key_path, message }
            }
        }
    }
}

fn apply_edit(document: &mut DocumentMut, edit: &ConfigEdit) -> Result<(), Failure> {
    let keys = parse_key_path(&edit.key_path).map_err(Failure::KeyPath)?;
    let Some((leaf, parents)) = keys.split_last() else {
        return Err(Failure::KeyPath("empty key path".to_owned()));
    };
    if parents.is_empty() && !edit.value.is_null() && !edit.value.is_object() {
        keep_file_header_on_top(document, leaf);
    }
    let mut table: &mut dyn TableLike = document.as_table_mut();
    let mut inline = false;
    for (depth, key) in parents.iter().enumerate() {
        if !table.contains_key(key) {
            if edit.value.is_null() {
                return Ok(()); // Removing under a table that does not exist: nothing to do.
            }
            let child = new_child_table(table.is_dotted(), inline);
            insert_new(table, inline, key, child);
        }
        let Some(item) = table.get_mut(key) else {
            return Err(Failure::PathNotFound(format!("`{key}` could not be created")));
        };
        let kind = item.type_name();
        inline = item.is_inline_table();
        table = item.as_table_like_mut().ok_or_else(|| {
            Failure::PathNotFound(format!("`{}` is {kind}, not a table", keys[..=depth].join(".")))
        })?;
    }
    write_member(table, inline, leaf, &edit.value, edit.merge_strategy)
}

/// Before the first top-level value `leaf` is added to a file that has only tables: if the
/// first table's leading comments start with a file header (comments followed by a blank
/// line), give that header to the new key, so that the key goes below it, not above it.
fn keep_file_header_on_top(document: &mut DocumentMut, leaf: &str) {
    let root = document.as_table();
    if root.contains_key(leaf) || root.iter().any(|(_, item)| item.is_value()) {
        return;
    }
    let Some(position) = first_position(root) else { return };
    let Some(first) = table_at(document.as_table_mut(), position) else { return };
    let prefix = first.decor().prefix().and_then(|raw| raw.as_str()).unwrap_or_default();
    let lines: Vec<&str> = prefix.split_inclusive('\n').collect();
    let Some(blank) = lines.iter().rposition(|line| line.trim().is_empty()) else { return };
    if !lines[..blank].iter().any(|line| line.trim_start().starts_with('#')) {
        return;
    }
    let head = lines[..=blank].concat();
    let tail = lines[blank..].concat();
    first.decor_mut().set_prefix(tail);
    let mut key = Key::new(leaf);
    key.leaf_decor_mut().set_prefix(head);
    // The value is written over this placeholder; the key keeps its decor.
    document.as_table_mut().insert_formatted(&key, Item::Value(Value::from(false)));
}

/// The smallest document position of a table or array-of-tables element under `table`.
fn first_position(table: &Table) -> Option<isize> {
    let mut first: Option<isize> = None;
    for (_, item) in table.iter() {
        let tables: Vec<&Table> = match item {
            Item::Table(table) => vec![table],
            Item::ArrayOfTables(tables) => tables.iter().collect(),
            _ => continue,
        };
        for table in tables {
            let own =
                if table.is_implicit() || table.is_dotted() { None } else { table.position() };
            for candidate in [own, first_position(table)].into_iter().flatten() {
                first = Some(first.map_or(candidate, |best| best.min(candidate)));
            }
        }
    }
    first
}

/// The table or array-of-tables element under `table` at document `position`.
fn table_at(table: &mut Table, position: isize) -> Option<&mut Table> {
    for (_, item) in table.iter_mut() {
        let tables: Vec<&mut Table> = match item {
            Item::Table(table) => vec![table],
            Item::ArrayOfTables(tables) => tables.iter_mut().collect(),
            _ => continue,
        };
        for table in tables {
            if table.position() == Some(position) && !table.is_implicit() {
                return Some(table);
            }
            if let Some(found) = table_at(table, position) {
                return Some(found);
            }
        }
    }
    None
}

/// Writes new line ends as `\r\n` when every line of the original ends so.
fn match_line_endings(original: &str, edited: String) -> String {
    let crlf = original.contains('\n')
        && original.matches('\n').count() == original.matches("\r\n").count();
    if !crlf {
        return edited;
    }
    let mut out = String::with_capacity(edited.len() + 16);
    let mut previous = '\0';
    for c in edited.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

/// A new, empty table to hold further keys under a parent table: inline inside an inline
/// table, dotted inside dotted keys, an implicit `[header]` table otherwise (shown only once
/// it holds keys of its own).
fn new_child_table(parent_dotted: bool, parent_inline: bool) -> Item {
    if parent_inline {
        return Item::Value(Value::InlineTable(InlineTable::new()));
    }
    let mut table = Table::new();
    if parent_dotted {
        table.set_dotted(true);
    } else {
        table.set_implicit(true);
    }
    Item::Table(table)
}

/// Writes `value` as member `key` of `table` with `strategy`.
fn write_member(
    table: &mut dyn TableLike,
    inline: bool,
    key: &str,
    value: &Json,
    strategy: MergeStrategy,
) -> Result<(), Failure> {
    if value.is_null() {
        table.remove(key);
        return Ok(());
    }
    if let Some(existing) = table.get_mut(key) {
        let was_value = existing.is_value();
        write_item(existing, value, strategy)?;
        let is_value = existing.is_value();
        if is_value && !was_value {
            // A `[table]` header's key decor does not suit a `key = value` line.
            if let Some(mut key) = table.key_mut(key) {
                key.leaf_decor_mut().clear();
            }
        }
        return Ok(());
    }
    let item =
        if inline { Item::Value(to_value(value)?) } else { to_item(value, table.is_dotted())? };
    insert_new(table, inline, key, item);
    Ok(())
}

/// Inserts a new member. In an inline table the last value carries the space before `}`:
/// hand it on to the new last value.
fn insert_new(table: &mut dyn TableLike, inline: bool, key: &str, mut item: Item) {
    if let (true, Item::Value(new_value)) = (inline, &mut item)
        && let Some(last) = table.iter_mut().filter_map(|(_, item)| item.as_value_mut()).last()
        && let Some(suffix) = last.decor().suffix().cloned()
    {
        last.decor_mut().set_suffix("");
        new_value.decor_mut().set_suffix(suffix);
    }
    table.insert(key, item);
}

/// Writes `value` over the existing `item`.
fn write_item(item: &mut Item, value: &Json, strategy: MergeStrategy) -> Result<(), Failure> {
    let inline = item.is_inline_table();
    if let (Json::Object(members), Some(table)) = (value, item.as_table_like_mut()) {
        if strategy == MergeStrategy::Replace {
            let stale: Vec<String> = table
                .iter()
                .map(|(key, _)| key.to_owned())
                .filter(|key| members.get(key).is_none_or(Json::is_null))
                .collect();
            for key in stale {
                table.remove(&key);
            }
        }
        for (key, member) in members {
            write_member(table, inline, key, member, strategy)?;
        }
        return Ok(());
    }
    if let (Json::Array(elements), Item::ArrayOfTables(_)) = (value, &*item)
        && elements.iter().all(Json::is_object)
    {
        let mut tables = ArrayOfTables::new();
        for element in elements {
            if let Item::Table(table) = to_item(element, false)? {
                tables.push(table);
            }
        }
        *item = Item::ArrayOfTables(tables);
        return Ok(());
    }
    let mut new_value = to_value(value)?;
    match item {
        Item::Value(old) => *new_value.decor_mut() = old.decor().clone(),
        // A `[table]` or `[[array]]` becomes a plain value: it moves to its parent's keys.
        Item::Table(_) | Item::ArrayOfTables(_) | Item::None => {}
    }
    *item = Item::Value(new_value);
    Ok(())
}

/// A new member of a standard table: objects become `[tables]` (dotted ones under dotted
/// keys), everything else a value.
fn to_item(value: &Json, dotted: bool) -> Result<Item, Failure> {
    let Json::Object(members) = value else {
        return Ok(Item::Value(to_value(value)?));
    };
    let mut table = Table::new();
    table.set_dotted(dotted);
    for (key, member) in members {
        if !member.is_null() {
            table.insert(key, to_item(member, dotted)?);
        }
    }
    // A table holding only tables needs no `[header]` of its own.
    table.set_implicit(!table.is_empty() && table.iter().all(|(_, item)| item.is_table()));
    Ok(Item::Table(table))
}

/// The TOML value of a JSON value; objects become inline tables.
fn to_value(value: &Json) -> Result<Value, Failure> {
    Ok(match value {
        Json::Null => return Err(Failure::Value("null has no TOML form inside an array".into())),
        Json::Bool(flag) => Value::from(*flag),
        Json::Number(number) => number_to_value(number)?,
        Json::String(text) => Value::from(text.as_str()),
        Json::Array(elements) => {
            let mut array = Array::new();
            for element in elements {
                array.push(to_value(element)?);
            }
            Value::Array(array)
        }
        Json::Object(members) => {
            let mut table = InlineTable::new();
            for (key, member) in members {
                if !member.is_null() {
                    table.insert(key, to_value(member)?);
                }
            }
            Value::InlineTable(table)
        }
    })
}

fn number_to_value(number: &Number) -> Result<Value, Failure> {
    if let Some(integer) = number.as_i64() {
        Ok(Value::from(integer))
    } else if number.is_u64() {
        Err(Failure::Value(format!("integer {number} is beyond the TOML range (i64)")))
    } else {
        number
            .as_f64()
            .map(Value::from)
            .ok_or_else(|| Failure::Value(format!("number {number} has no TOML form")))
    }
}

/// Whether the document decodes as the v2 [`Config`]; the decoder's message if not.
fn fits_config(document: &DocumentMut) -> Result<(), String> {
    let json = table_to_json(document.as_table());
    serde_path_to_error::deserialize::<_, Config>(json)
        .map(drop)
        .map_err(|error| format!("{} (at `{}`)", error.inner(), error.path()))
}

fn table_to_json(table: &dyn TableLike) -> Json {
    let mut members = Map::new();
    for (key, item) in table.iter() {
        if let Some(value) = item_to_json(item) {
            members.insert(key.to_owned(), value);
        }
    }
    Json::Object(members)
}

fn item_to_json(item: &Item) -> Option<Json> {
    match item {
        Item::None => None,
        Item::Value(value) => Some(value_to_json(value)),
        Item::Table(table) => Some(table_to_json(table)),
        Item::ArrayOfTables(tables) => {
            Some(Json::Array(tables.iter().map(|table| table_to_json(table)).collect()))
        }
    }
}

fn value_to_json(value: &Value) -> Json {
    match value {
        Value::String(text) => Json::String(text.value().clone()),
        Value::Integer(integer) => Json::from(*integer.value()),
        Value::Float(float) => Number::from_f64(*float.value()).map_or(Json::Null, Json::Number),
        Value::Boolean(flag) => Json::Bool(*flag.value()),
        Value::Datetime(datetime) => Json::String(datetime.value().to_string()),
        Value::Array(array) => Json::Array(array.iter().map(value_to_json).collect()),
        Value::InlineTable(table) => table_to_json(table),
    }
}
