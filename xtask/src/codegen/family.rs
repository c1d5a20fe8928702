//! Method families (`MethodMeta::family`): one row of the method table for every method whose
//! name is the row's prefix followed by a suffix its params name (`codex/event/{type}`). What
//! every renderer says of a family, derived from the row alone: no renderer names a family.

use app_server_protocol::MethodMeta;
use serde_json::{Map, Value, json};

/// The regular expression (ECMA-262, as JSON Schema reads `pattern`) that every name of the
/// family matches and no other: its prefix, escaped, then a non-empty suffix
/// (`^codex/event/.+`). `None` for an ordinary method.
pub fn pattern(meta: &MethodMeta) -> Option<String> {
    meta.family?;
    let mut escaped = String::from("^");
    for c in meta.wire_name.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push_str(".+");
    Some(escaped)
}

/// The TypeScript type of the method's name: the name as a string literal type, or for a
/// family a template literal type (`` `codex/event/${string}` ``).
pub fn ts_name_type(meta: &MethodMeta) -> String {
    match meta.family {
        Some(_) => format!("`{}${{string}}`", meta.wire_name.replace('`', "\\`")),
        None => serde_json::to_string(meta.wire_name).expect("a string serializes"),
    }
}

/// The JSON path, in the params, of the member whose value is the suffix (`params.msg.type`).
pub fn suffix_path(meta: &MethodMeta) -> Option<String> {
    meta.family.map(|path| format!("params.{path}"))
}

/// What every document says of a family, in one paragraph (Markdown); `None` for an
/// ordinary method.
pub fn description(meta: &MethodMeta) -> Option<String> {
    let path = suffix_path(meta)?;
    Some(format!(
        "A method family: one method per value of `{path}`, named `{display}` — the prefix `{prefix}` followed by that value, so the method's last segment is `{member}`. A line whose last segment and `{member}` disagree is refused (-32602 at `{path}`); the bare prefix names no method.",
        display = meta.display_name(),
        prefix = meta.wire_name,
        member = path.trim_start_matches("params."),
    ))
}

/// For a family's message schema: an `allOf` that ties the name to the params, one `if`/`then`
/// per value the suffix member can have (read from the params schema `params`, through `$ref`s
/// to `defs` and union variants): when `params.msg.type` is `"task_started"`, the method is
/// `codex/event/task_started`. `None` for an ordinary method, or when the member's values are
/// not a finite set of strings (then only the decoder can tell).
pub fn names_follow_params(
    meta: &MethodMeta,
    params: &Value,
    defs: &Map<String, Value>,
) -> Option<Value> {
    let path: Vec<&str> = meta.family?.split('.').collect();
    let values = values_at(params, &path, defs, 0)?;
    let branches: Vec<Value> = values
        .iter()
        .map(|value| {
            let mut condition = json!({ "const": value });
            for member in path.iter().rev().chain(["params"].iter()) {
                condition = json!({
                    "type": "object",
                    "properties": { (*member): condition },
                    "required": [member],
                });
            }
            json!({
                "if": condition,
                "then": { "properties": { "method": { "const": format!("{}{value}", meta.wire_name) } } },
            })
        })
        .collect();
    Some(Value::Array(branches))
}

/// The string values the member at `path` below `schema` can have: the `const`s (or `enum`) it
/// ends at, across the variants of every union on the way. `None` when some way ends at no
/// finite set of strings.
fn values_at(
    schema: &Value,
    path: &[&str],
    defs: &Map<String, Value>,
    depth: usize,
) -> Option<Vec<String>> {
    if depth > 32 {
        return None;
    }
    if let Some(variants) = schema.get("oneOf").or_else(|| schema.get("anyOf")) {
        let mut all = Vec::new();
        for variant in variants.as_array()? {
            all.extend(values_at(variant, path, defs, depth + 1)?);
        }
        return Some(all);
    }
    let Some((member, rest)) = path.split_first() else {
        if let Some(Value::String(value)) = schema.get("const") {
            return Some(vec![value.clone()]);
        }
        let values = schema.get("enum")?.as_array()?;
        return values.iter().map(|v| v.as_str().map(str::to_owned)).collect();
    };
    // The member's own schema, else the one of the type a `$ref` names.
    if let Some(child) = schema.get("properties").and_then(|p| p.get(*member)) {
        return values_at(child, rest, defs, depth + 1);
    }
    let name = schema.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
    values_at(defs.get(&name.replace("~1", "/").replace("~0", "~"))?, path, defs, depth + 1)
}

#[cfg(test)]
mod tests {
    use app_server_protocol::all_methods;
    use serde_json::json;

    #[test]
    fn a_familys_pattern_matches_its_names_and_not_its_bare_prefix() {
        let families: Vec<_> = all_methods().filter(|m| m.family.is_some()).collect();
        assert!(!families.is_empty(), "the table has no method family");
        for meta in families {
            let schema = json!({ "type": "string", "pattern": super::pattern(meta).unwrap() });
            let validator = jsonschema::draft202012::new(&schema).unwrap();
            let member = format!("{}task_started", meta.wire_name);
            assert!(meta.answers_to(&member) && validator.is_valid(&json!(member)));
            for other in [meta.wire_name.to_owned(), format!("x{member}"), "turn/started".into()] {
                assert!(!meta.answers_to(&other) && !validator.is_valid(&json!(other)), "{other}");
            }
            assert_eq!(super::ts_name_type(meta), format!("`{}${{string}}`", meta.wire_name));
            assert!(super::description(meta).unwrap().contains(&meta.display_name()));
        }
        let ordinary = all_methods().find(|m| m.family.is_none()).unwrap();
        assert_eq!(super::pattern(ordinary), None);
        assert_eq!(super::ts_name_type(ordinary), format!("{:?}", ordinary.wire_name));
    }
}
