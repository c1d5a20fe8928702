//! Length, range, format and pattern keywords, each in both directions: a tighter bound on
//! what the server receives breaks old senders, a looser one is safe; on what it sends the
//! reverse. A different `pattern` or `format` (neither contains the other) breaks both ways.

use app_server_protocol::Direction::{self, ClientToServer, ServerToClient};
use serde_json::{Value, json};

use super::super::rules::{Kind, Verdict};
use super::{diff, object, only};

/// A root object with one required field `v` of schema `v`.
fn root(v: Value) -> Value {
    json!({ "Root": object(json!({ "v": v }), &["v"]) })
}

/// (keyword, kind, looser schema, tighter schema).
fn cases() -> Vec<(&'static str, Kind, Value, Value)> {
    let array = |extra: Value| {
        let mut schema = json!({ "type": "array", "items": { "type": "string" } });
        schema.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        schema
    };
    let typed = |t: &str, extra: Value| {
        let mut schema = json!({ "type": t });
        schema.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        schema
    };
    vec![
        (
            "minItems",
            Kind::LengthChanged,
            array(json!({ "minItems": 1 })),
            array(json!({ "minItems": 2 })),
        ),
        ("maxItems", Kind::LengthChanged, array(json!({})), array(json!({ "maxItems": 3 }))),
        (
            "minLength",
            Kind::LengthChanged,
            typed("string", json!({})),
            typed("string", json!({ "minLength": 1 })),
        ),
        (
            "maxLength",
            Kind::LengthChanged,
            typed("string", json!({ "maxLength": 64 })),
            typed("string", json!({ "maxLength": 8 })),
        ),
        (
            "minimum",
            Kind::RangeChanged,
            typed("number", json!({ "minimum": 0 })),
            typed("number", json!({ "minimum": 1 })),
        ),
        (
            "maximum",
            Kind::RangeChanged,
            typed("integer", json!({ "maximum": 100 })),
            typed("integer", json!({ "maximum": 10 })),
        ),
        (
            "exclusiveMinimum",
            Kind::RangeChanged,
            typed("number", json!({ "minimum": 0 })),
            typed("number", json!({ "exclusiveMinimum": 0 })),
        ),
        (
            "exclusiveMaximum",
            Kind::RangeChanged,
            typed("number", json!({})),
            typed("number", json!({ "exclusiveMaximum": 1 })),
        ),
        (
            "pattern",
            Kind::PatternChanged,
            typed("string", json!({})),
            typed("string", json!({ "pattern": "^[a-z]+$" })),
        ),
        (
            "format",
            Kind::FormatChanged,
            typed("string", json!({})),
            typed("string", json!({ "format": "date-time" })),
        ),
    ]
}

#[test]
fn a_tighter_bound_breaks_what_the_server_receives_and_is_safe_for_what_it_sends() {
    for (keyword, kind, looser, tighter) in cases() {
        for (direction, verdict) in
            [(ClientToServer, Verdict::Breaking), (ServerToClient, Verdict::Safe)]
        {
            let changes = diff(direction, root(looser.clone()), root(tighter.clone()));
            assert_eq!(changes.len(), 1, "{keyword} tighter ({direction}): {changes:#?}");
            assert_eq!(
                (changes[0].kind, changes[0].verdict, changes[0].at.as_str()),
                (kind, verdict, "Root → v"),
                "{keyword} tighter ({direction}): {:#?}",
                changes[0]
            );
        }
    }
}

#[test]
fn a_looser_bound_is_safe_for_what_the_server_receives_and_breaks_what_it_sends() {
    for (keyword, kind, looser, tighter) in cases() {
        for (direction, verdict) in
            [(ClientToServer, Verdict::Safe), (ServerToClient, Verdict::Breaking)]
        {
            let changes = diff(direction, root(tighter.clone()), root(looser.clone()));
            assert_eq!(changes.len(), 1, "{keyword} looser ({direction}): {changes:#?}");
            assert_eq!(
                (changes[0].kind, changes[0].verdict, changes[0].at.as_str()),
                (kind, verdict, "Root → v"),
                "{keyword} looser ({direction}): {:#?}",
                changes[0]
            );
        }
    }
}

#[test]
fn the_details_name_the_bounds_before_and_after() {
    let detail = |before: Value, after: Value| {
        let changes = diff(ClientToServer, root(before), root(after));
        changes.iter().map(|c| c.detail.clone()).collect::<Vec<_>>().join("; ")
    };
    assert_eq!(
        detail(
            json!({ "type": "number", "minimum": 0 }),
            json!({ "type": "number", "exclusiveMinimum": 0 })
        ),
        "number [0, …] → (0, …]"
    );
    assert_eq!(
        detail(
            json!({ "type": "string" }),
            json!({ "type": "string", "minLength": 1, "maxLength": 8 })
        ),
        "string length […, …] → [1, 8]"
    );
    assert_eq!(
        detail(json!({ "type": "array" }), json!({ "type": "array", "maxItems": 3 })),
        "array length […, …] → […, 3]"
    );
}

#[test]
fn a_different_pattern_format_or_range_breaks_both_ways_and_unknown_keywords_stay_unknown() {
    let string = |extra: Value| {
        let mut schema = json!({ "type": "string" });
        schema.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        root(schema)
    };
    let pairs = [
        (
            Kind::PatternChanged,
            string(json!({ "pattern": "^a" })),
            string(json!({ "pattern": "^b" })),
        ),
        (
            Kind::FormatChanged,
            string(json!({ "format": "uuid" })),
            string(json!({ "format": "uri" })),
        ),
        (
            Kind::RangeChanged,
            root(json!({ "type": "integer", "minimum": 0, "maximum": 10 })),
            root(json!({ "type": "integer", "minimum": 5, "maximum": 20 })),
        ),
    ];
    for (kind, before, after) in pairs {
        for direction in Direction::ALL {
            only(
                &diff(direction, before.clone(), after.clone()),
                kind,
                Verdict::Breaking,
                "Root → v",
            );
        }
    }
    let unique = string(json!({ "uniqueItems": true }));
    only(
        &diff(ClientToServer, string(json!({})), unique),
        Kind::KeywordChanged,
        Verdict::Unknown,
        "Root → v",
    );
}
