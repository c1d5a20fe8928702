//! The errors each method can answer, for the API reference: the ones every method of its kind
//! has (params that do not fit, an internal error), derived from the method's kind, and the ones
//! particular to a method, from its row of the method table (`MethodMeta::errors`). A test
//! checks that every error response in the fixtures is listed for its method.

use std::fmt::Write as _;

use app_server_protocol::{Direction, ErrorData, MessageKind, MethodError};
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
    errors.extend(meta.errors.iter().flat_map(|error| specific(error, defs)));
    errors.push(ErrorDoc {
        code: -32603,
        data: None,
        when: "the server failed while handling the request".to_owned(),
    });
    errors
}

/// The documented errors of one error of a row: itself, or one per value of the enum its
/// `data` takes values of.
fn specific(error: &MethodError, defs: &Map<String, Value>) -> Vec<ErrorDoc> {
    match error.data {
        None => vec![ErrorDoc { code: error.code.0, data: None, when: error.when.to_owned() }],
        Some(ErrorData::EachValueOf { member, type_name }) => {
            each_value_of(error.code.0, member, type_name, defs)
        }
    }
}

/// One error per value of the string enum `type_name`, `data: { member: value }`, with the
/// value's description.
fn each_value_of(
    code: i64,
    member: &str,
    type_name: &str,
    defs: &Map<String, Value>,
) -> Vec<ErrorDoc> {
    let variants = defs
        .get(type_name)
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
                code,
                data: Some(format!("`{{ \"{member}\": \"{value}\" }}`")),
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
