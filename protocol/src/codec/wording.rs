//! serde's error messages in JSON's words, in one place.
//!
//! serde describes what it expected in Rust terms (`u32`, `i64`, `struct ThreadListParams`,
//! `a sequence`) and what it found likewise (`floating point `-0.0``, `map`). A peer speaks
//! JSON, so a payload error is rewritten here before it reaches a [`DecodeError`]:
//!
//! - `invalid type: sequence, expected u32` → `expected an integer from 0 to 4294967295,
//!   found an array`; the expectation alone (`an integer from 0 to 4294967295`) is kept for
//!   `error.data.expected`;
//! - `unknown variant `foo`, expected one of `a`, `b`` → `expected one of "a", "b", found
//!   "foo"`;
//! - `missing field `threadId`` → `missing required member `threadId`` and the path names the
//!   member (`params.threadId`), not the object that lacks it; `duplicate field` likewise;
//! - anything else (the crate's own messages) is kept as it is.
//!
//! [`DecodeError`]: super::DecodeError

use std::borrow::Cow;

/// How deeply arrays and objects may nest in a message: serde_json's recursion limit. A deeper
/// value is refused with a typed error (never a stack overflow).
pub const MAX_NESTING: usize = 128;

/// A payload error in JSON's words.
pub(super) struct Explained {
    /// The JSON path of the offending value; for a missing or repeated member, the member.
    pub(super) path: String,
    /// What was found and what was expected.
    pub(super) message: String,
    /// What was expected, when the error says (e.g. `an integer from 1 to 4294967295`).
    pub(super) expected: Option<String>,
}

/// Rewrites serde's `message` about the value at `path` (already prefixed with `params` or
/// `result`) in JSON's words.
pub(super) fn explain(mut path: String, message: &str) -> Explained {
    if let Some(member) = quoted(message, "missing field `") {
        push_member(&mut path, member);
        let expected = Some("a value: the member is required".to_owned());
        return Explained {
            path,
            message: format!("missing required member `{member}`"),
            expected,
        };
    }
    if let Some(member) = quoted(message, "duplicate field `") {
        // A union's tag is refused as it is read, so its path already ends with it.
        if !(path == member || path.ends_with(&format!(".{member}"))) {
            push_member(&mut path, member);
        }
        let message = format!("duplicate member `{member}`: a member may appear only once");
        return Explained { path, message, expected: Some(format!("a single `{member}` member")) };
    }
    if message == "recursion limit exceeded" {
        // serde_json stops at 128 nested arrays/objects (without using more stack).
        let message = format!(
            "nested too deeply: more than {MAX_NESTING} levels of arrays and objects (the decoder's limit)"
        );
        let expected = Some(format!("at most {MAX_NESTING} levels of nested arrays and objects"));
        return Explained { path, message, expected };
    }
    if let Some((found, expected)) = unknown_variant(message) {
        let found = serde_json::to_string(found).unwrap_or_default();
        let message = match &expected {
            Some(expected) => format!("expected {expected}, found {found}"),
            None => format!("unknown value {found}"),
        };
        return Explained { path, message, expected };
    }
    if let Some((found, expected)) = found_and_expected(message) {
        let expected = json_expected(expected).into_owned();
        let message = format!("expected {expected}, found {found}");
        return Explained { path, message, expected: Some(expected) };
    }
    Explained { path, message: message.to_owned(), expected: None }
}

/// The text between `prefix` and a closing backtick that ends `message`.
fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.strip_suffix('`')
}

fn push_member(path: &mut String, member: &str) {
    if path.is_empty() || path == "." {
        *path = member.to_owned();
    } else {
        path.push('.');
        path.push_str(member);
    }
}

/// `unknown variant `x`, expected one of `a`, `b`` → (`x`, `one of "a", "b"`).
fn unknown_variant(message: &str) -> Option<(&str, Option<String>)> {
    let rest = message.strip_prefix("unknown variant `")?;
    if let Some(found) = rest.strip_suffix("`, there are no variants") {
        return Some((found, None));
    }
    let at = rest.rfind("`, expected ")?;
    let names = &rest[at + "`, expected ".len()..];
    Some((&rest[..at], Some(json_strings(names))))
}

/// serde quotes names in backticks; JSON writes strings in double quotes.
fn json_strings(names: &str) -> String {
    let mut out = String::with_capacity(names.len());
    let mut parts = names.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (index, part) in parts.enumerate() {
        if index % 2 == 0 {
            out.push_str(&serde_json::to_string(part).unwrap_or_default());
        } else {
            out.push_str(part);
        }
    }
    out
}

/// `invalid type: X, expected Y`, `invalid value: X, expected Y`, `invalid length N,
/// expected Y` → (what was found in JSON's words, Y).
fn found_and_expected(message: &str) -> Option<(String, &str)> {
    let (found, rest) = if let Some(rest) = message.strip_prefix("invalid type: ") {
        (None, rest)
    } else if let Some(rest) = message.strip_prefix("invalid value: ") {
        (None, rest)
    } else {
        let rest = message.strip_prefix("invalid length ")?;
        let (length, _) = rest.split_once(',')?;
        (Some(format!("an array of {length} elements")), rest)
    };
    let at = rest.rfind(", expected ")?;
    let expected = &rest[at + ", expected ".len()..];
    Some((found.unwrap_or_else(|| json_found(&rest[..at])), expected))
}

/// What serde found (its `Unexpected`, as serde_json prints it) in JSON's words.
fn json_found(found: &str) -> String {
    let literal = |prefix: &str| found.strip_prefix(prefix).and_then(|rest| rest.strip_suffix('`'));
    match found {
        "sequence" => return "an array".to_owned(),
        "map" => return "an object".to_owned(),
        "null" | "unit value" => return "null".to_owned(),
        _ => {}
    }
    if let Some(value) = literal("boolean `").or_else(|| literal("integer `")) {
        return value.to_owned();
    }
    if let Some(value) = literal("floating point `") {
        return value.to_owned();
    }
    if let Some(value) = literal("character `") {
        return serde_json::to_string(value).unwrap_or_default();
    }
    if let Some(value) = found.strip_prefix("string ") {
        return value.to_owned();
    }
    found.to_owned()
}

/// What serde expected (a visitor's `expecting`) in JSON's words.
pub(super) fn json_expected(expected: &str) -> Cow<'_, str> {
    let range = |min: &str, max: &str| Cow::Owned(format!("an integer from {min} to {max}"));
    let unsigned = |bits: u32| range("0", &(u128::MAX >> (128 - bits)).to_string());
    let signed = |bits: u32| {
        let max = i128::MAX >> (128 - bits);
        range(&(-max - 1).to_string(), &max.to_string())
    };
    let nonzero = |bits: u32| range("1", &(u128::MAX >> (128 - bits)).to_string());
    match expected {
        "u8" => return unsigned(8),
        "u16" => return unsigned(16),
        "u32" => return unsigned(32),
        "u64" | "usize" => return unsigned(64),
        "i8" => return signed(8),
        "i16" => return signed(16),
        "i32" => return signed(32),
        "i64" | "isize" => return signed(64),
        "a nonzero u8" => return nonzero(8),
        "a nonzero u16" => return nonzero(16),
        "a nonzero u32" => return nonzero(32),
        "a nonzero u64" | "a nonzero usize" => return nonzero(64),
        "f32" | "f64" => return Cow::Borrowed("a number"),
        "a sequence" => return Cow::Borrowed("an array"),
        "a map" => return Cow::Borrowed("an object"),
        "unit" => return Cow::Borrowed("null"),
        "option" => return Cow::Borrowed("a value or null"),
        "a borrowed string" => return Cow::Borrowed("a string"),
        "path string" => return Cow::Borrowed("a string (a path)"),
        "a character" => return Cow::Borrowed("a string of one character"),
        "variant identifier" => return Cow::Borrowed("one of the allowed values"),
        "field identifier" => return Cow::Borrowed("a member name"),
        "any valid JSON value" => return Cow::Borrowed("any JSON value"),
        "a string or a 64-bit integer" => {
            return Cow::Owned(format!("a string or {}", signed(64)));
        }
        _ => {}
    }
    let objects =
        ["struct ", "struct variant ", "internally tagged enum ", "adjacently tagged enum "];
    if objects.iter().any(|prefix| expected.starts_with(prefix)) {
        return Cow::Borrowed("an object");
    }
    if expected.starts_with("enum ") {
        return Cow::Borrowed("one of the allowed values");
    }
    Cow::Borrowed(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(path: &str, message: &str) -> (String, String, Option<String>) {
        let e = explain(path.to_owned(), message);
        (e.path, e.message, e.expected)
    }

    #[test]
    fn rust_words_become_json_words() {
        let cases = [
            (
                "invalid type: sequence, expected u32",
                "expected an integer from 0 to 4294967295, found an array",
                "an integer from 0 to 4294967295",
            ),
            (
                "invalid value: integer `0`, expected a nonzero u32",
                "expected an integer from 1 to 4294967295, found 0",
                "an integer from 1 to 4294967295",
            ),
            (
                "invalid type: floating point `-0.0`, expected i64",
                "expected an integer from -9223372036854775808 to 9223372036854775807, found -0.0",
                "an integer from -9223372036854775808 to 9223372036854775807",
            ),
            (
                "invalid value: integer `-1`, expected u64",
                "expected an integer from 0 to 18446744073709551615, found -1",
                "an integer from 0 to 18446744073709551615",
            ),
            (
                "invalid type: map, expected a string",
                "expected a string, found an object",
                "a string",
            ),
            (
                "invalid type: null, expected struct TurnInterruptParams",
                "expected an object, found null",
                "an object",
            ),
            (
                "invalid type: string \"a, expected b\", expected f64",
                "expected a number, found \"a, expected b\"",
                "a number",
            ),
            (
                "invalid type: boolean `true`, expected internally tagged enum UserInput",
                "expected an object, found true",
                "an object",
            ),
            (
                "invalid type: integer `5`, expected enum AskForApproval",
                "expected one of the allowed values, found 5",
                "one of the allowed values",
            ),
            (
                "unknown variant `Never`, expected one of `untrusted`, `never`",
                "expected one of \"untrusted\", \"never\", found \"Never\"",
                "one of \"untrusted\", \"never\"",
            ),
            (
                "invalid type: a boolean, expected a string (a secret: its value is not shown)",
                "expected a string (a secret: its value is not shown), found a boolean",
                "a string (a secret: its value is not shown)",
            ),
        ];
        for (serde, message, expected) in cases {
            let (path, got, got_expected) = explained("params.x", serde);
            assert_eq!(path, "params.x");
            assert_eq!(got, message, "{serde}");
            assert_eq!(got_expected.as_deref(), Some(expected), "{serde}");
        }
    }

    #[test]
    fn a_missing_or_repeated_member_is_named_by_the_path() {
        let (path, message, expected) = explained("params", "missing field `threadId`");
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("params.threadId", "missing required member `threadId`")
        );
        assert_eq!(expected.as_deref(), Some("a value: the member is required"));
        let (path, _, _) = explained("params.input[1]", "missing field `type`");
        assert_eq!(path, "params.input[1].type");
        let (path, message, _) = explained("params", "duplicate field `threadId`");
        assert_eq!(path, "params.threadId");
        assert_eq!(message, "duplicate member `threadId`: a member may appear only once");
        // A union's repeated tag is already named.
        assert_eq!(explained("params.type", "duplicate field `type`").0, "params.type");
    }

    #[test]
    fn other_messages_are_kept() {
        let (path, message, expected) =
            explained("result", "contradictory approval: send only `decision`");
        assert_eq!(
            (path.as_str(), message.as_str(), expected),
            ("result", "contradictory approval: send only `decision`", None)
        );
        assert_eq!(explained("params.limit", "number out of range").1, "number out of range");
    }
}
