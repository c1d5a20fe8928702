//! The rules Rust types state in code (custom `Deserialize`/`Serialize` impls) rather than in
//! their schema, attached to their Python models: each names the model and a function of
//! `runtime/_leniency.py`. A model that is no longer generated is an error, so a rename cannot
//! silently drop a rule.

use super::models::{Hook, Module};
use std::collections::BTreeMap;

/// (module, class, hook, function of `_leniency.py`). An `After` rule decides alone whether
/// the members it looks at are written.
pub const RULES: &[(&str, &str, Hook, &str)] = &[
    ("v2", "CommandExecutionRequestApprovalResponse", Hook::Before, "approval_accept_settings"),
    (
        "v2",
        "CommandExecutionApprovalDecisionAcceptWithExecpolicyAmendmentBody",
        Hook::Before,
        "approval_amendment_key",
    ),
    (
        "v2",
        "CommandExecutionRequestApprovalParams",
        Hook::Before,
        "approval_params_empty_amendment",
    ),
    ("types", "ResponseItemReasoning", Hook::After, "reasoning_content_written"),
];

/// Attaches every rule to its class.
pub fn apply(modules: &mut BTreeMap<&'static str, Module>) -> Result<(), String> {
    for (module, class, hook, function) in RULES {
        let found = modules
            .get_mut(module)
            .and_then(|m| m.classes.iter_mut().find(|c| c.name == *class))
            .ok_or_else(|| {
                format!("python leniency: no class `{module}.{class}` for `{function}`")
            })?;
        found.hooks.push((*hook, *function));
        if *hook == Hook::After {
            found.omit.clear();
        }
    }
    Ok(())
}
