//! Python spellings: module and class names from schema definition names, attribute names
//! from wire names, and the text of literals and docstrings.

use serde_json::Value;

/// The module a definition lives in and its class name: `v2.Thread` → (`v2`, `Thread`), any
/// other name → (`types`, name), as the TypeScript files are laid out (`v2/Thread.ts`).
pub fn split_def(name: &str) -> (&'static str, &str) {
    match name.strip_prefix("v2.") {
        Some(rest) => ("v2", rest),
        None => ("types", name),
    }
}

/// Names an attribute must not take: Python keywords, the builtins and typing names the
/// generated annotations use, and the attributes pydantic's `BaseModel` already has.
const RESERVED: &[&str] = &[
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "Any",
    "Literal",
    "Annotated",
    "Field",
    "JsonValue",
    "json",
    "copy",
    "schema",
    "validate",
    "construct",
    "fields",
    "schema_json",
    "parse_obj",
    "parse_raw",
    "parse_file",
    "from_orm",
    "update_forward_refs",
    "to_wire",
    "model_config",
    "model_fields",
    "model_extra",
    "model_fields_set",
    "model_computed_fields",
    "model_construct",
    "model_copy",
    "model_dump",
    "model_dump_json",
    "model_json_schema",
    "model_post_init",
    "model_rebuild",
    "model_validate",
    "model_validate_json",
    "model_validate_strings",
];

/// The snake_case attribute name of a wire member (`threadId` → `thread_id`), with a
/// trailing `_` when the name is reserved.
pub fn attribute(wire: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in wire.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            out.push('_');
            previous_lower = false;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.starts_with('_') {
        out.insert(0, 'm');
    }
    if RESERVED.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// PascalCase of a wire value or member name (`agentMessage` → `AgentMessage`,
/// `function_call_output` → `FunctionCallOutput`, `on-request` → `OnRequest`).
pub fn pascal(text: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// A Python string literal (JSON's escapes are Python's).
pub fn string(text: &str) -> String {
    Value::from(text).to_string()
}

/// A Python literal of a JSON value.
pub fn literal(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(literal).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", string(k), literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A docstring at `indent`: the doc text with backslashes and quotes escaped, so that no
/// text can end it early.
pub fn docstring(text: &str, indent: &str) -> String {
    let mut escaped = text.trim().replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    if escaped.ends_with('"') {
        escaped.pop();
        escaped.push_str("\\\"");
    }
    let body = escaped
        .lines()
        .map(|line| if line.is_empty() { String::new() } else { format!("{indent}{line}") })
        .collect::<Vec<_>>()
        .join("\n");
    if escaped.contains('\n') {
        format!("{indent}\"\"\"{}\n{indent}\"\"\"\n", body.trim_start())
    } else {
        format!("{indent}\"\"\"{}\"\"\"\n", body.trim_start())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_snake_case_and_never_reserved() {
        assert_eq!(attribute("threadId"), "thread_id");
        assert_eq!(attribute("exclude_slash_tmp"), "exclude_slash_tmp");
        assert_eq!(attribute("type"), "type");
        assert_eq!(attribute("from"), "from_");
        assert_eq!(attribute("json"), "json_");
        assert_eq!(attribute("modelProvider"), "model_provider");
        assert_eq!(attribute("model_config"), "model_config_");
        assert_eq!(attribute("httpStatusCode2"), "http_status_code2");
    }

    #[test]
    fn pascal_joins_words() {
        assert_eq!(pascal("agentMessage"), "AgentMessage");
        assert_eq!(pascal("function_call_output"), "FunctionCallOutput");
        assert_eq!(pascal("on-request"), "OnRequest");
    }

    #[test]
    fn docstrings_cannot_be_ended_by_their_text() {
        assert_eq!(docstring("say \"\"\" no", "    "), "    \"\"\"say \\\"\\\"\\\" no\"\"\"\n");
        assert_eq!(docstring("a \"b\"", ""), "\"\"\"a \"b\\\"\"\"\"\n");
        assert_eq!(docstring("a\n\nb", ""), "\"\"\"a\n\nb\n\"\"\"\n");
    }
}
