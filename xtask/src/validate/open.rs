//! Open enums and unions (`x-open-enum`): what a newer peer may add to them is no break of the
//! contract, since the decoder takes it (the newer ones keep it, `ThreadItem::Unknown`,
//! `ReasoningEffort::Unknown`; the older ones read it as their fallback). The bundles describe
//! the known values only (`anyOf`/`oneOf` of them), so validate widens its own copy of each
//! bundle: every open definition becomes "the known values, or one this version does not
//! know" —
//!
//! ```json
//! { "anyOf": [ <the definition>, { "type": "string", "not": { "enum": [<known>] }, "x-open-unknown": "ReasoningEffort" } ] }
//! ```
//!
//! (for a union tagged by `type`: an object whose `type` is a string none of its variants has,
//! with any members). A value that takes the second alternative is then reported as
//! information, not as an error ([`super::members`] finds it, marked [`MARK`]); a known value
//! is still held to its shape, and the explanation of a misfit goes into the definition (the
//! second alternative is ruled out by its `not` tag or its type).

use serde_json::{Map, Value, json};

/// The annotation of the alternative that takes a value this version does not know; its value
/// is the open type's name (`v2.ThreadItem`).
pub(super) const MARK: &str = "x-open-unknown";

/// The member that tags every open union of this protocol.
const TAG: &str = "type";

/// Widens every open definition of a bundle's `$defs` (see the module documentation).
pub(super) fn admit_unknown(defs: &mut Map<String, Value>) {
    for (name, def) in defs.iter_mut() {
        if def.get("x-open-enum").and_then(Value::as_bool) != Some(true) {
            continue;
        }
        let Some(unknown) = unknown_alternative(name, def) else { continue };
        let known = std::mem::take(def);
        *def = json!({ "anyOf": [known, unknown], "x-open-enum": true });
    }
}

/// The alternative that takes what `def` does not know: a string none of its string constants
/// is, or (for a union whose every object variant fixes `type`) an object whose `type` is a
/// string none of them has. `None` when the definition already takes anything of the sort
/// (the receive contract's open unions, whose catch-all takes any other tag).
fn unknown_alternative(name: &str, def: &Value) -> Option<Value> {
    let mut strings: Vec<Value> =
        def.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
    let variants = def.get("anyOf").or_else(|| def.get("oneOf")).and_then(Value::as_array);
    let variants = variants.map(Vec::as_slice).unwrap_or_default();
    strings
        .extend(variants.iter().filter_map(|v| v.get("const")).filter(|c| c.is_string()).cloned());
    if !strings.is_empty() {
        return Some(json!({ "type": "string", "not": { "enum": strings }, MARK: name }));
    }
    let tag = |v: &Value| v.pointer(&format!("/properties/{TAG}/const")).cloned();
    let tags: Option<Vec<Value>> = variants.iter().map(tag).collect();
    let tags = tags.filter(|tags| !tags.is_empty())?;
    Some(json!({
        "type": "object",
        "properties": { TAG: { "type": "string", "not": { "enum": tags } } },
        "required": [TAG],
        "additionalProperties": true,
        MARK: name,
    }))
}
