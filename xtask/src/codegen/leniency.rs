//! The decoding contract's leniencies that the types' derives cannot show, applied to the
//! definitions of the bundle the server receives with (`server-receives.schema.json`), so that
//! the schema accepts exactly what the decoder accepts:
//!
//! - open tagged unions (wire-notes §3): an unknown `type` decodes to the catch-all variant
//!   `other`, so that variant's tag accepts any string but the other known tags;
//! - change C8: the amendment decision's inner key may be spelled `execpolicy_amendment`
//!   (a known peer sends it).
//!
//! Each patch names its type; a type that is no longer found is an error, so a rename cannot
//! silently drop a leniency.

use serde_json::{Map, Value, json};

/// Tagged unions whose unknown tags decode to their `other` variant (wire-notes §3).
pub const OPEN_UNIONS: &[&str] = &["ResponseItem", "WebSearchAction"];

/// Applies every leniency to the receive contract's definitions.
pub fn apply(defs: &mut Map<String, Value>) -> Result<(), String> {
    for name in OPEN_UNIONS {
        open_union(defs, name)?;
    }
    snake_case_amendment_key(defs)
}

fn open_union(defs: &mut Map<String, Value>, name: &str) -> Result<(), String> {
    let variants = defs
        .get_mut(name)
        .and_then(|def| def.get_mut("oneOf"))
        .and_then(Value::as_array_mut)
        .ok_or_else(|| {
            format!("leniency: open union `{name}` has no oneOf in the receive contract")
        })?;
    let tag = |variant: &Value| {
        variant.pointer("/properties/type/const").and_then(Value::as_str).map(str::to_owned)
    };
    let known: Vec<String> = variants.iter().filter_map(tag).filter(|t| t != "other").collect();
    let other = variants
        .iter_mut()
        .find(|variant| tag(variant).as_deref() == Some("other"))
        .ok_or_else(|| format!("leniency: open union `{name}` has no `other` variant"))?;
    other["properties"]["type"] = json!({
        "type": "string",
        "not": { "enum": known },
        "description": "`other`, or any tag this version does not know: it decodes to the catch-all variant.",
    });
    Ok(())
}

fn snake_case_amendment_key(defs: &mut Map<String, Value>) -> Result<(), String> {
    const NAME: &str = "v2.CommandExecutionApprovalDecision";
    let variant = defs
        .get_mut(NAME)
        .and_then(|def| def.get_mut("oneOf"))
        .and_then(Value::as_array_mut)
        .and_then(|variants| {
            variants
                .iter_mut()
                .find(|v| v.pointer("/properties/acceptWithExecpolicyAmendment").is_some())
        })
        .ok_or_else(|| {
            format!("leniency: `{NAME}` has no acceptWithExecpolicyAmendment variant")
        })?;
    let inner = &mut variant["properties"]["acceptWithExecpolicyAmendment"];
    let amendment = inner.pointer("/properties/execpolicyAmendment").cloned().unwrap_or(json!({}));
    *inner = json!({
        "type": "object",
        "properties": {
            "execpolicyAmendment": amendment,
            "execpolicy_amendment": { "$comment": "The spelling a known peer sends (change C8); input only.", "items": { "type": "string" }, "type": "array" },
        },
        "oneOf": [
            { "properties": { "execpolicyAmendment": true }, "required": ["execpolicyAmendment"] },
            { "properties": { "execpolicy_amendment": true }, "required": ["execpolicy_amendment"] },
        ],
    });
    Ok(())
}
