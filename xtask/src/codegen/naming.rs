//! Names the generators derive from wire names, shared so that a variant class of the Python
//! package and a definition of the generator bundle are named alike.

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

#[cfg(test)]
mod tests {
    use super::pascal;

    #[test]
    fn pascal_joins_words() {
        assert_eq!(pascal("agentMessage"), "AgentMessage");
        assert_eq!(pascal("function_call_output"), "FunctionCallOutput");
        assert_eq!(pascal("on-request"), "OnRequest");
    }
}
