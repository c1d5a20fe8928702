//! Where a message breaks its contract and what was expected, in wire terms: JSON paths in
//! the decoder's style (`params.turn.items[0].status`) and values as JSON (`"failed"`, `null`).
//!
//! A `jsonschema` error is reworded by its kind; the value found is shown in short (an object
//! or array by its kind only), never the whole message. When a value fits none of the
//! alternatives of a union, the alternative it was meant to be — the one whose tag and type
//! it has — is explained instead, when there is exactly one. A decoder's message names JSON
//! types (the decoder words them so).

use std::fmt;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::{Location, LocationSegment};
use serde_json::Value;

/// One place where a message breaks its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, in the decoder's style (`params.turn.status`); empty for the message itself.
    pub path: String,
    /// What was expected there, and what was found.
    pub expected: String,
}

impl Problem {
    /// A problem of the message as a whole.
    pub fn whole(expected: String) -> Problem {
        Problem { path: String::new(), expected }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "at the top level: {}", self.expected)
        } else {
            write!(f, "at `{}`: {}", self.path, self.expected)
        }
    }
}

/// The problems one `jsonschema` error stands for in `message` (several when it is a union's
/// error explained by the errors of the alternative meant).
pub fn problems(err: &ValidationError<'_>, message: &Value) -> Vec<Problem> {
    let at = err.instance_path();
    let found = || short(err.instance());
    let expected = match err.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            return union(context, at, message, &found());
        }
        ValidationErrorKind::Required { property } => format!("missing member {}", name(property)),
        ValidationErrorKind::Type { kind } => {
            format!("expected {}, found {}", types(kind), found())
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("expected {expected_value}, found {}", found())
        }
        ValidationErrorKind::Enum { options } => {
            format!("expected one of {}, found {}", short(options), found())
        }
        ValidationErrorKind::FalseSchema => "no such member is allowed here".to_owned(),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|n| format!("`{n}`")).collect();
            format!("members not allowed here: {}", names.join(", "))
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("expected at least {limit}, found {}", found())
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("expected at most {limit}, found {}", found())
        }
        _ => truncate(&err.to_string(), 200),
    };
    vec![Problem { path: json_path(at, message), expected }]
}

/// A value that fits none of a union's alternatives: the errors of the one alternative it
/// was meant to be, when the others are ruled out by a wrong type or tag; a list of the
/// constants when every alternative is one; else a summary.
fn union(
    context: &[Vec<ValidationError<'static>>],
    at: &Location,
    message: &Value,
    found: &str,
) -> Vec<Problem> {
    let meant: Vec<&Vec<ValidationError<'static>>> =
        context.iter().filter(|errors| !errors.iter().any(|e| rules_out(e, at))).collect();
    if let [errors] = meant.as_slice() {
        return errors.iter().flat_map(|err| problems(err, message)).collect();
    }
    let constants: Option<Vec<String>> = context
        .iter()
        .map(|errors| match errors.as_slice() {
            [err] if err.instance_path() == at => match err.kind() {
                ValidationErrorKind::Constant { expected_value } => {
                    Some(expected_value.to_string())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    let expected = match constants {
        Some(values) => format!("expected one of {}, found {found}", values.join(", ")),
        None => format!("fits none of the {} alternatives, found {found}", context.len()),
    };
    vec![Problem { path: json_path(at, message), expected }]
}

/// Whether an error of an alternative says the value is another alternative altogether: a
/// wrong type at the union's own place, or a wrong constant (a tag) right below it, or a tag
/// the alternative excludes (`not`: an open type's alternative for what it does not know, see
/// `super::open`).
fn rules_out(err: &ValidationError<'_>, at: &Location) -> bool {
    let here = err.instance_path() == at;
    let below = err
        .instance_path()
        .as_str()
        .strip_prefix(at.as_str())
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|rest| !rest.contains('/'));
    match err.kind() {
        ValidationErrorKind::Type { .. } | ValidationErrorKind::FalseSchema => here,
        ValidationErrorKind::Constant { .. } | ValidationErrorKind::Enum { .. } => here || below,
        ValidationErrorKind::Not { .. } => here || below,
        _ => false,
    }
}

/// The JSON path of `location` in `message`, in the decoder's style.
pub fn json_path(location: &Location, message: &Value) -> String {
    let mut path = String::new();
    let mut current = Some(message);
    for segment in location.segments() {
        match (segment, current) {
            (LocationSegment::Index(index), Some(Value::Array(items))) => {
                push_index(&mut path, index);
                current = items.get(index);
            }
            (LocationSegment::Index(index), value) => {
                let name = index.to_string();
                current = value.and_then(|v| v.get(&name));
                push_member(&mut path, &name);
            }
            (LocationSegment::Property(name), value) => {
                current = value.and_then(|v| v.get(name.as_ref()));
                push_member(&mut path, &name);
            }
        }
    }
    path
}

/// Appends a member to a path: `name` first, then `.name`, or `["na.me"]` for a name that
/// would be ambiguous.
pub fn push_member(path: &mut String, name: &str) {
    let plain =
        !name.is_empty() && !name.bytes().any(|b| matches!(b, b'.' | b'[' | b']' | b'"' | b' '));
    if !plain {
        path.push_str(&format!("[{}]", Value::from(name)));
        return;
    }
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

/// Appends an array index to a path: `[3]`.
pub fn push_index(path: &mut String, index: usize) {
    path.push_str(&format!("[{index}]"));
}

/// A member name as the contract writes it: `` `name` ``.
fn name(property: &Value) -> String {
    match property.as_str() {
        Some(name) => format!("`{name}`"),
        None => property.to_string(),
    }
}

/// The JSON types of a `type` keyword: `string or null`.
fn types(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(single) => single.as_str().to_owned(),
        TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(" or "),
    }
}

/// A value in short: a scalar as JSON (cut at 60 characters), an object or array by kind.
fn short(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".to_owned(),
        Value::Array(items) if items.iter().any(|v| v.is_object() || v.is_array()) => {
            "an array".to_owned()
        }
        other => truncate(&other.to_string(), 60),
    }
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
