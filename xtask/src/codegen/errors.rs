//! The errors each method can answer, for the API reference: the ones every method of its kind
//! has (params that do not fit, an internal error), derived from the method table, and the ones
//! particular to a method, from its docs and spec CHANGES.md. A test checks that every error
//! response in the fixtures is listed for its method.

use std::fmt::Write as _;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value};

use super::collect::Method;

/// One error a method can answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDoc {
    /// The JSON-RPC code.
    pub code: i64,
    /// The `data` member, as Markdown; `None` when the error has none.
    pub data: Option<String>,
    /// When it is answered, as Markdown.
    pub when: String,
}

/// The `data` of an invalid-params error the decoder reports.
const INVALID_PARAMS_DATA: &str = "`{ \"path\", \"expected\" }`: where the problem is (a JSON path such as `params.input[0].type`) and what was expected there";

/// A method-specific error, as written in [`SPECIFIC`].
struct Specific {
    code: i64,
    when: &'static str,
}

/// Paginated methods (C2): a bad page size or cursor.
const PAGINATED: &[Specific] = &[
    Specific { code: -32602, when: "`limit` is `0` (a page holds at least one item)" },
    Specific { code: -32602, when: "`cursor` is not a `nextCursor` the server gave out" },
];

/// The errors particular to a method, by wire name: refusals of well-formed params, from the
/// method docs and spec CHANGES.md. Config write errors are listed from `ConfigWriteErrorCode`.
const SPECIFIC: &[(&str, &[Specific])] = &[
    ("thread/list", PAGINATED),
    ("model/list", PAGINATED),
    ("mcpServerStatus/list", PAGINATED),
    (
        "listConversations",
        &[
            Specific { code: -32602, when: "`pageSize` is `0` (a page holds at least one item)" },
            Specific { code: -32602, when: "`cursor` is not a `nextCursor` the server gave out" },
        ],
    ),
    (
        "turn/start",
        &[
            Specific { code: -32602, when: "`input` is empty" },
            Specific { code: -32600, when: "no thread has the id `threadId`" },
        ],
    ),
    ("config/read", &[Specific { code: -32602, when: "`cwd` is not an absolute path" }]),
    (
        "mcpServer/oauth/login",
        &[
            Specific { code: -32600, when: "no MCP server of that `name` is configured" },
            Specific {
                code: -32600,
                when: "the server cannot start an OAuth login for it (e.g. a stdio server without OAuth)",
            },
        ],
    ),
    (
        "cancelLoginChatGpt",
        &[Specific { code: -32600, when: "`loginId` is unknown or its login already finished" }],
    ),
    (
        "gitDiffToRemote",
        &[Specific {
            code: -32600,
            when: "the diff cannot be computed, e.g. `cwd` is not in a git repository",
        }],
    ),
];

/// The methods whose errors carry `data.configWriteErrorCode`.
const CONFIG_WRITES: &[&str] = &["config/value/write", "config/batchWrite"];

/// The errors `method` can answer with, in code order within: params, specific, internal.
/// `defs` are the canonical definitions (for `v2.ConfigWriteErrorCode`).
pub fn errors_of(method: &Method, defs: &Map<String, Value>) -> Vec<ErrorDoc> {
    let meta = method.meta;
    if meta.kind == MessageKind::Notification {
        return Vec::new();
    }
    if meta.direction == Direction::ServerToClient {
        return vec![ErrorDoc {
            code: -32603,
            data: None,
            when: "the client could not get an answer (e.g. the approval dialog was closed before the user answered); a client may answer with any code".to_owned(),
        }];
    }
    let mut errors = vec![ErrorDoc {
        code: -32602,
        data: Some(INVALID_PARAMS_DATA.to_owned()),
        when: match &method.params {
            Some(params) => format!(
                "`params` do not fit `{}`: a required member is missing, or a member has the wrong type or an unknown value",
                params.ts_name
            ),
            None => "`params` is present and neither `null` nor an object".to_owned(),
        },
    }];
    let specific = SPECIFIC.iter().find(|(name, _)| *name == meta.wire_name);
    errors.extend(specific.into_iter().flat_map(|(_, list)| list.iter()).map(|s| ErrorDoc {
        code: s.code,
        data: None,
        when: s.when.to_owned(),
    }));
    if CONFIG_WRITES.contains(&meta.wire_name) {
        errors.extend(config_write_errors(defs));
    }
    errors.push(ErrorDoc {
        code: -32603,
        data: None,
        when: "the server failed while handling the request".to_owned(),
    });
    errors
}

/// One -32600 per `ConfigWriteErrorCode` value, with its description.
fn config_write_errors(defs: &Map<String, Value>) -> Vec<ErrorDoc> {
    let variants = defs
        .get("v2.ConfigWriteErrorCode")
        .and_then(|d| d.get("oneOf"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    variants
        .iter()
        .filter_map(|variant| {
            let value = variant.get("const").and_then(Value::as_str)?;
            let when = variant.get("description").and_then(Value::as_str).unwrap_or("");
            Some(ErrorDoc {
                code: -32600,
                data: Some(format!("`{{ \"configWriteErrorCode\": \"{value}\" }}`")),
                when: when.replace('\n', " "),
            })
        })
        .collect()
}

/// The **Errors** part of a method's section.
pub fn render(out: &mut String, method: &Method, defs: &Map<String, Value>) {
    let meta = method.meta;
    if meta.kind == MessageKind::Notification {
        out.push_str("**Errors:** none: a notification is never answered.\n\n");
        return;
    }
    let errors = errors_of(method, defs);
    let intro = match meta.direction {
        Direction::ClientToServer => "**Errors** the server answers with:",
        Direction::ServerToClient => {
            "**Errors** the client may answer with (a result that does not fit is an invalid result to the server's decoder, reported with its JSON path):"
        }
    };
    let _ = writeln!(out, "{intro}\n\n| code | `data` | when |\n|---|---|---|");
    for error in errors {
        let data = error.data.as_deref().unwrap_or("—");
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            error.code,
            data.replace('|', "\\|"),
            error.when.replace('|', "\\|")
        );
    }
    out.push('\n');
}

/// Every wire name [`SPECIFIC`] and [`CONFIG_WRITES`] mention, for the test that they exist.
#[cfg(test)]
pub fn documented_methods() -> Vec<&'static str> {
    SPECIFIC.iter().map(|(name, _)| *name).chain(CONFIG_WRITES.iter().copied()).collect()
}
