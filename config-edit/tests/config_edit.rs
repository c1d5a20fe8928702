//! C4: comment-preserving config edits.

use app_server_config_edit::{
    ConfigEditError, apply_config_edits, content_version, parse_key_path,
};
use app_server_protocol::v2::{ConfigEdit, ConfigWriteErrorCode, MergeStrategy};
use serde_json::{Value, json};
use similar::{ChangeTag, TextDiff};

/// A user config as people write them: comments, odd spacing, profiles, MCP servers with a
/// quoted name, inline tables, multi-line arrays.
const USER_CONFIG: &str = r#"# Codex configuration
# See the docs for every key.

model = "gpt-5-codex"            # the default model
model_reasoning_effort = "high"
approval_policy = "on-request"
sandbox_mode   =   "workspace-write"   # odd spacing, kept

notify = ["notify-send", "Codex"]

[sandbox_workspace_write]
network_access = false
writable_roots = [
    "/tmp/scratch",  # build outputs
    "/var/cache/app",
]

# Profiles ------------------------------------------------------------
[profiles.work]
model = "gpt-5"
approval_policy = "never"

[profiles.fast]   # quick answers
model = "gpt-5-codex-mini"
model_reasoning_effort = "low"

# MCP servers
[mcp_servers.docs]
command = "npx"
args = ["-y", "@acme/docs-mcp"]
env = { API_KEY = "secret", REGION = "eu" }   # inline table

[mcp_servers."my.server"]
command = "/opt/my-server/bin/run"
startup_timeout_sec = 20

[[hooks]]
name = "fmt"
"#;

/// A project config with dotted keys and no root comments.
const DOTTED_CONFIG: &str = "model = \"o3\"\ntools.web_search = true # search on\n\n[shell_environment_policy]\ninherit = \"core\"\n";

fn edit(key_path: &str, value: Value, merge_strategy: MergeStrategy) -> ConfigEdit {
    ConfigEdit { key_path: key_path.to_owned(), value, merge_strategy }
}

fn replace(key_path: &str, value: Value) -> ConfigEdit {
    edit(key_path, value, MergeStrategy::Replace)
}

fn upsert(key_path: &str, value: Value) -> ConfigEdit {
    edit(key_path, value, MergeStrategy::Upsert)
}

fn apply(content: &str, edits: &[ConfigEdit]) -> String {
    let edited = apply_config_edits(content, edits, None).unwrap();
    assert_eq!(edited.version, content_version(&edited.content));
    edited.content
}

/// The line diff: (removed lines, added lines), without line ends.
fn line_diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for change in TextDiff::from_lines(before, after).iter_all_changes() {
        let line = change.value().trim_end_matches('\n').to_owned();
        match change.tag() {
            ChangeTag::Delete => removed.push(line),
            ChangeTag::Insert => added.push(line),
            ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

fn assert_diff(before: &str, after: &str, removed: &[&str], added: &[&str]) {
    let (got_removed, got_added) = line_diff(before, after);
    assert_eq!((got_removed, got_added), (strings(removed), strings(added)), "after:\n{after}");
}

fn strings(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|line| (*line).to_owned()).collect()
}

#[test]
fn empty_edit_list_is_byte_identical() {
    for content in [USER_CONFIG, DOTTED_CONFIG, "", "# only a comment", "a = 1\r\nb = 2\r\n"] {
        let edited = apply_config_edits(content, &[], Some(&content_version(content))).unwrap();
        assert_eq!(edited.content, content);
        assert_eq!(edited.version, content_version(content));
    }
}

#[test]
fn replacing_a_value_changes_only_its_line_and_keeps_its_comment() {
    let after = apply(USER_CONFIG, &[replace("model", json!("o3"))]);
    assert_diff(
        USER_CONFIG,
        &after,
        &[r#"model = "gpt-5-codex"            # the default model"#],
        &[r#"model = "o3"            # the default model"#],
    );
    let after = apply(USER_CONFIG, &[upsert("sandbox_mode", json!("read-only"))]);
    assert_diff(
        USER_CONFIG,
        &after,
        &[r#"sandbox_mode   =   "workspace-write"   # odd spacing, kept"#],
        &[r#"sandbox_mode   =   "read-only"   # odd spacing, kept"#],
    );
}

#[test]
fn nested_and_quoted_key_paths() {
    let after = apply(
        USER_CONFIG,
        &[
            replace("profiles.work.model", json!("gpt-5-codex")),
            replace(r#"mcp_servers."my.server".startup_timeout_sec"#, json!(60)),
            replace("sandbox_workspace_write.network_access", json!(true)),
        ],
    );
    assert_diff(
        USER_CONFIG,
        &after,
        &["network_access = false", r#"model = "gpt-5""#, "startup_timeout_sec = 20"],
        &["network_access = true", r#"model = "gpt-5-codex""#, "startup_timeout_sec = 60"],
    );
    assert_eq!(
        parse_key_path(r#"mcp_servers."my.server".command"#).unwrap(),
        vec!["mcp_servers", "my.server", "command"]
    );
    assert_eq!(parse_key_path("mcp_servers.'a b'.x").unwrap(), vec!["mcp_servers", "a b", "x"]);
}

#[test]
fn inline_tables_are_edited_in_place() {
    let after = apply(USER_CONFIG, &[replace("mcp_servers.docs.env.REGION", json!("us"))]);
    assert_diff(
        USER_CONFIG,
        &after,
        &[r#"env = { API_KEY = "secret", REGION = "eu" }   # inline table"#],
        &[r#"env = { API_KEY = "secret", REGION = "us" }   # inline table"#],
    );
    // Upsert merges into the inline table; replace makes it hold exactly the object.
    let after = apply(USER_CONFIG, &[upsert("mcp_servers.docs.env", json!({"DEBUG": "1"}))]);
    assert_diff(
        USER_CONFIG,
        &after,
        &[r#"env = { API_KEY = "secret", REGION = "eu" }   # inline table"#],
        &[r#"env = { API_KEY = "secret", REGION = "eu", DEBUG = "1" }   # inline table"#],
    );
    let after = apply(USER_CONFIG, &[replace("mcp_servers.docs.env", json!({"REGION": "us"}))]);
    assert_diff(
        USER_CONFIG,
        &after,
        &[r#"env = { API_KEY = "secret", REGION = "eu" }   # inline table"#],
        &[r#"env = { REGION = "us" }   # inline table"#],
    );
}

#[test]
fn missing_keys_are_created_in_the_right_table() {
    // A key missing from an existing table goes after that table's last key.
    let after = apply(USER_CONFIG, &[upsert("profiles.work.model_reasoning_effort", json!("low"))]);
    assert_diff(USER_CONFIG, &after, &[], &[r#"model_reasoning_effort = "low""#]);
    assert!(after.contains(
        "[profiles.work]\nmodel = \"gpt-5\"\napproval_policy = \"never\"\nmodel_reasoning_effort = \"low\"\n\n[profiles.fast]"
    ));

    // A top-level key goes with the other top-level keys, before the first table.
    let after = apply(USER_CONFIG, &[upsert("review_model", json!("gpt-5"))]);
    assert_diff(USER_CONFIG, &after, &[], &[r#"review_model = "gpt-5""#]);
    assert!(after.contains("notify = [\"notify-send\", \"Codex\"]\nreview_model = \"gpt-5\"\n"));

    // A missing table is created after its siblings, before what follows them.
    let after = apply(USER_CONFIG, &[upsert("profiles.deep.model", json!("o3"))]);
    assert_diff(USER_CONFIG, &after, &[], &["[profiles.deep]", r#"model = "o3""#, ""]);
    assert!(after.contains(
        "model_reasoning_effort = \"low\"\n\n[profiles.deep]\nmodel = \"o3\"\n\n# MCP servers\n"
    ));

    // A new MCP server with a quoted name, written as one object (members in serde_json's
    // key order).
    let after = apply(
        USER_CONFIG,
        &[upsert(
            r#"mcp_servers."new.server""#,
            json!({"command": "uvx", "args": ["new-server"], "env": {"TOKEN": "t"}}),
        )],
    );
    assert_diff(
        USER_CONFIG,
        &after,
        &[],
        &[
            r#"[mcp_servers."new.server"]"#,
            r#"args = ["new-server"]"#,
            r#"command = "uvx""#,
            "",
            r#"[mcp_servers."new.server".env]"#,
            r#"TOKEN = "t""#,
            "",
        ],
    );
}

#[test]
fn dotted_keys_stay_dotted() {
    let after = apply(DOTTED_CONFIG, &[upsert("tools.view_image", json!(false))]);
    assert_diff(DOTTED_CONFIG, &after, &[], &["tools.view_image = false"]);
    let after = apply(DOTTED_CONFIG, &[replace("tools.web_search", json!(false))]);
    assert_diff(
        DOTTED_CONFIG,
        &after,
        &["tools.web_search = true # search on"],
        &["tools.web_search = false # search on"],
    );
}

#[test]
fn replace_and_upsert_of_tables() {
    // Upsert keeps the keys the object does not name.
    let after = apply(
        USER_CONFIG,
        &[upsert("mcp_servers.docs", json!({"command": "uvx", "args": ["docs"]}))],
    );
    assert_diff(
        USER_CONFIG,
        &after,
        &[r#"command = "npx""#, r#"args = ["-y", "@acme/docs-mcp"]"#],
        &[r#"command = "uvx""#, r#"args = ["docs"]"#],
    );
    // Replace drops them.
    let after = apply(
        USER_CONFIG,
        &[replace("mcp_servers.docs", json!({"command": "uvx", "args": ["docs"]}))],
    );
    assert_diff(
        USER_CONFIG,
        &after,
        &[
            r#"command = "npx""#,
            r#"args = ["-y", "@acme/docs-mcp"]"#,
            r#"env = { API_KEY = "secret", REGION = "eu" }   # inline table"#,
        ],
        &[r#"command = "uvx""#, r#"args = ["docs"]"#],
    );
}

#[test]
fn null_removes_a_key_and_removing_a_missing_key_is_a_no_op() {
    let after = apply(USER_CONFIG, &[replace("model_reasoning_effort", Value::Null)]);
    assert_diff(USER_CONFIG, &after, &[r#"model_reasoning_effort = "high""#], &[]);
    let after = apply(
        USER_CONFIG,
        &[replace("profiles.missing.model", Value::Null), upsert("nothing_here", Value::Null)],
    );
    assert_eq!(after, USER_CONFIG);
    // Inside an object, null removes that member.
    let after =
        apply(USER_CONFIG, &[upsert("profiles.fast", json!({"model_reasoning_effort": null}))]);
    assert_diff(USER_CONFIG, &after, &[r#"model_reasoning_effort = "low""#], &[]);
}

#[test]
fn expected_version_is_checked() {
    assert_eq!(
        content_version(""),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let version = content_version(USER_CONFIG);
    let edits = [replace("model", json!("o3"))];
    let edited = apply_config_edits(USER_CONFIG, &edits, Some(&version)).unwrap();
    assert_ne!(edited.version, version);

    // The client read the old file; the file has changed since.
    let err = apply_config_edits(&edited.content, &edits, Some(&version)).unwrap_err();
    assert_eq!(
        err,
        ConfigEditError::VersionConflict { expected: version, actual: edited.version.clone() }
    );
    assert_eq!(err.code(), ConfigWriteErrorCode::ConfigVersionConflict);
    let rpc = serde_json::to_value(err.to_json_rpc_error()).unwrap();
    assert_eq!(rpc["code"], -32600);
    assert_eq!(rpc["data"], json!({"configWriteErrorCode": "configVersionConflict"}));
    assert_eq!(
        serde_json::to_value(err.error_data()).unwrap(),
        json!({"configWriteErrorCode": "configVersionConflict"})
    );
}

#[test]
fn typed_errors() {
    let code = |content: &str, edits: &[ConfigEdit]| {
        apply_config_edits(content, edits, None).map(|_| ()).unwrap_err()
    };
    // Through a value that is not a table.
    let err = code(USER_CONFIG, &[replace("model.name", json!("x"))]);
    assert!(matches!(err, ConfigEditError::PathNotFound { edit_index: 0, .. }), "{err:?}");
    assert_eq!(err.code(), ConfigWriteErrorCode::ConfigPathNotFound);
    // Through an array of tables.
    let err = code(USER_CONFIG, &[replace("hooks.name", json!("x"))]);
    assert_eq!(err.code(), ConfigWriteErrorCode::ConfigPathNotFound);
    // Malformed key paths.
    for key_path in ["", "a..b", r#"mcp_servers."unterminated"#, "has space"] {
        let err = code(USER_CONFIG, &[replace(key_path, json!(1))]);
        assert!(matches!(err, ConfigEditError::InvalidKeyPath { .. }), "{key_path:?}: {err:?}");
        assert_eq!(err.code(), ConfigWriteErrorCode::ConfigValidationError);
    }
    // Values without a TOML form; the failing edit's index is reported (all or nothing).
    let err = code(USER_CONFIG, &[replace("model", json!("o3")), replace("notify", json!([null]))]);
    assert!(matches!(err, ConfigEditError::InvalidValue { edit_index: 1, .. }), "{err:?}");
    let err = code(USER_CONFIG, &[replace("big", json!(u64::MAX))]);
    assert_eq!(err.code(), ConfigWriteErrorCode::ConfigValidationError);
    // A value the typed config rejects.
    let err = code(USER_CONFIG, &[replace("approval_policy", json!("sometimes"))]);
    assert!(matches!(err, ConfigEditError::InvalidConfig { .. }), "{err:?}");
    assert!(err.to_string().contains("approval_policy"), "{err}");
    let err = code(USER_CONFIG, &[replace("profiles.work.model", json!(5))]);
    assert_eq!(err.code(), ConfigWriteErrorCode::ConfigValidationError);
    // A file that is not TOML.
    let err = code("model = \n", &[replace("model", json!("x"))]);
    assert!(matches!(err, ConfigEditError::InvalidDocument { .. }), "{err:?}");
    assert_eq!(err.code(), ConfigWriteErrorCode::ConfigValidationError);
}

#[test]
fn values_of_every_shape() {
    let after = apply(
        "",
        &[
            upsert("a_string", json!("x \"quoted\"")),
            upsert("an_int", json!(-3)),
            upsert("a_float", json!(1.5)),
            upsert("a_bool", json!(true)),
            upsert("mixed", json!([1, "two", [3], {"four": 4}])),
            upsert("table", json!({"k": "v", "sub": {"deep": 1}})),
        ],
    );
    let parsed: toml_edit::DocumentMut = after.parse().unwrap();
    assert_eq!(parsed["a_string"].as_str(), Some("x \"quoted\""));
    assert_eq!(parsed["an_int"].as_integer(), Some(-3));
    assert_eq!(parsed["a_float"].as_float(), Some(1.5));
    assert_eq!(parsed["a_bool"].as_bool(), Some(true));
    assert_eq!(parsed["mixed"].as_array().map(|array| array.len()), Some(4));
    assert_eq!(parsed["table"]["sub"]["deep"].as_integer(), Some(1));
}

#[test]
fn formatting_edge_cases() {
    // A file with only tables: a new top-level key goes below the file's header comment.
    let content = "# header comment\n\n# about work\n[profiles.work]\nmodel = \"x\"\n";
    let after = apply(content, &[upsert("model", json!("o3"))]);
    assert_eq!(
        after,
        "# header comment\n\nmodel = \"o3\"\n\n# about work\n[profiles.work]\nmodel = \"x\"\n"
    );
    // A comment right above the first table stays with it.
    let content = "# about work\n[profiles.work]\nmodel = \"x\"\n";
    let after = apply(content, &[upsert("model", json!("o3"))]);
    assert_eq!(after, "model = \"o3\"\n# about work\n[profiles.work]\nmodel = \"x\"\n");

    // CRLF files get CRLF lines.
    let after = apply("a = 1\r\n\r\n[t]\r\nb = 2\r\n", &[upsert("t.c", json!(3))]);
    assert_eq!(after, "a = 1\r\n\r\n[t]\r\nb = 2\r\nc = 3\r\n");

    // A new table holding only tables gets no empty header of its own.
    let after = apply("a = 1\n", &[upsert("t", json!({"x": {"y": 1}}))]);
    assert_eq!(after, "a = 1\n\n[t.x]\ny = 1\n");

    // A table replaced by a plain value becomes a well-spaced `key = value` line.
    let after = apply("a = 1\n[t]\nx = 1\n", &[replace("t", json!("now a string"))]);
    assert_eq!(after, "a = 1\nt = \"now a string\"\n");

    // Missing tables inside an inline table are inline too.
    let after = apply("a = { b = 1 }\n", &[upsert("a.c.d", json!(2))]);
    assert_eq!(after, "a = { b = 1, c = { d = 2 } }\n");

    // An object over a plain value becomes an inline table in place.
    let after = apply("a = 1\nb = 2\n", &[upsert("a", json!({"x": true}))]);
    assert_eq!(after, "a = { x = true }\nb = 2\n");
}
