//! Mutation pairs: for each rule, a small before/after pair and the exact verdict, kind and
//! place it must produce — in both directions where the rule differs by direction, nested
//! inside objects, arrays and unions, and through `$ref` cycles.

use app_server_protocol::Direction::{self, ClientToServer, ServerToClient};
use app_server_protocol::MessageKind;
use serde_json::json;

use super::super::rules::{Kind, Verdict};
use super::{diff, entry, find, methods, nullable, object, only, reference, string_enum, surface};

fn two_fields() -> serde_json::Value {
    json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a"]) })
}

fn one_field() -> serde_json::Value {
    json!({ "Root": object(json!({ "a": { "type": "string" } }), &["a"]) })
}

// --- Fields ----------------------------------------------------------------------------

#[test]
fn field_added_to_input_optional_is_safe_required_is_breaking() {
    only(
        &diff(ClientToServer, one_field(), two_fields()),
        Kind::FieldAdded,
        Verdict::Safe,
        "Root → b",
    );
    let required = json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a", "b"]) });
    let change = only(
        &diff(ClientToServer, one_field(), required),
        Kind::FieldAdded,
        Verdict::Breaking,
        "Root → b",
    );
    assert_eq!(change.paths[0], "test/method → params → b");
}

#[test]
fn field_added_to_output_is_safe_even_when_required() {
    let required = json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a", "b"]) });
    only(&diff(ServerToClient, one_field(), required), Kind::FieldAdded, Verdict::Safe, "Root → b");
}

#[test]
fn field_removed_from_output_is_breaking_from_input_safe_only_if_it_was_optional() {
    only(
        &diff(ServerToClient, two_fields(), one_field()),
        Kind::FieldRemoved,
        Verdict::Breaking,
        "Root → b",
    );
    only(
        &diff(ClientToServer, two_fields(), one_field()),
        Kind::FieldRemoved,
        Verdict::Safe,
        "Root → b",
    );
    let required = json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a", "b"]) });
    only(
        &diff(ClientToServer, required, one_field()),
        Kind::FieldRemoved,
        Verdict::Breaking,
        "Root → b",
    );
}

#[test]
fn made_nullable_breaks_output_and_widens_input() {
    let before = json!({ "Root": object(json!({ "t": reference("T") }), &["t"]), "T": object(json!({ "x": { "type": "integer" } }), &["x"]) });
    let after = json!({ "Root": object(json!({ "t": nullable(reference("T")) }), &["t"]), "T": object(json!({ "x": { "type": "integer" } }), &["x"]) });
    let change = only(
        &diff(ServerToClient, before.clone(), after.clone()),
        Kind::MadeNullable,
        Verdict::Breaking,
        "Root → t",
    );
    assert_eq!(change.detail, "`T` → `T | null`");
    only(
        &diff(ClientToServer, before.clone(), after.clone()),
        Kind::MadeNullable,
        Verdict::Safe,
        "Root → t",
    );
    only(
        &diff(ClientToServer, after, before),
        Kind::MadeNonNullable,
        Verdict::Breaking,
        "Root → t",
    );
}

#[test]
fn optional_to_required_breaks_input_and_required_to_optional_breaks_output() {
    let optional = json!({ "Root": object(json!({ "a": { "type": "string" } }), &[]) });
    let required = one_field();
    only(
        &diff(ClientToServer, optional.clone(), required.clone()),
        Kind::MadeRequired,
        Verdict::Breaking,
        "Root → a",
    );
    only(
        &diff(ServerToClient, optional.clone(), required.clone()),
        Kind::MadeRequired,
        Verdict::Safe,
        "Root → a",
    );
    only(
        &diff(ServerToClient, required.clone(), optional.clone()),
        Kind::MadeOptional,
        Verdict::Breaking,
        "Root → a",
    );
    only(&diff(ClientToServer, required, optional), Kind::MadeOptional, Verdict::Safe, "Root → a");
}

#[test]
fn key_casing_changed_is_breaking_in_both_directions() {
    let before = json!({ "Root": object(json!({ "writable_roots": { "type": "array", "items": { "type": "string" } } }), &[]) });
    let after = json!({ "Root": object(json!({ "writableRoots": { "type": "array", "items": { "type": "string" } } }), &[]) });
    for direction in Direction::ALL {
        only(
            &diff(direction, before.clone(), after.clone()),
            Kind::KeyCasingChanged,
            Verdict::Breaking,
            "Root → writableRoots",
        );
    }
}

#[test]
fn key_renamed_with_the_same_schema_is_breaking_even_for_an_optional_input() {
    let before = json!({ "Root": object(json!({ "a": { "type": "string" }, "old": { "type": "string" } }), &["a"]) });
    let after = json!({ "Root": object(json!({ "a": { "type": "string" }, "new": { "type": "string" } }), &["a"]) });
    let change = only(
        &diff(ClientToServer, before, after),
        Kind::FieldRenamed,
        Verdict::Breaking,
        "Root → new",
    );
    assert_eq!(change.detail, "key `old` → `new` (same schema)");
}

// --- Enums and unions -------------------------------------------------------------------

#[test]
fn enum_value_added_breaks_output_and_is_safe_in_input() {
    let before = json!({ "Root": object(json!({ "s": reference("S") }), &["s"]), "S": string_enum(&["a", "b"]) });
    let after = json!({ "Root": object(json!({ "s": reference("S") }), &["s"]), "S": string_enum(&["a", "b", "c"]) });
    let change = only(
        &diff(ServerToClient, before.clone(), after.clone()),
        Kind::ValueAdded,
        Verdict::Breaking,
        "S",
    );
    assert_eq!(change.paths[0], "test/method → params → s");
    only(&diff(ClientToServer, before, after), Kind::ValueAdded, Verdict::Safe, "S");
}

#[test]
fn enum_value_added_to_output_is_safe_when_the_baseline_declares_the_enum_open() {
    let mut open = string_enum(&["a", "unknown"]);
    open["x-open-enum"] = json!(true);
    let mut open_after = string_enum(&["a", "b", "unknown"]);
    open_after["x-open-enum"] = json!(true);
    let before = json!({ "Root": object(json!({ "s": reference("S") }), &["s"]), "S": open });
    let after =
        json!({ "Root": object(json!({ "s": reference("S") }), &["s"]), "S": open_after.clone() });
    only(&diff(ServerToClient, before, after.clone()), Kind::ValueAdded, Verdict::Safe, "S");
    // Declared open only now: receivers built against the baseline still fail on `b`.
    let closed = json!({ "Root": object(json!({ "s": reference("S") }), &["s"]), "S": string_enum(&["a", "unknown"]) });
    only(&diff(ServerToClient, closed, after), Kind::ValueAdded, Verdict::Breaking, "S");
}

#[test]
fn enum_value_removed_breaks_input_and_is_safe_in_output() {
    let before =
        json!({ "Root": object(json!({ "s": { "enum": ["a", "b"], "type": "string" } }), &["s"]) });
    let after =
        json!({ "Root": object(json!({ "s": { "enum": ["a"], "type": "string" } }), &["s"]) });
    only(
        &diff(ClientToServer, before.clone(), after.clone()),
        Kind::ValueRemoved,
        Verdict::Breaking,
        "Root → s",
    );
    only(&diff(ServerToClient, before, after), Kind::ValueRemoved, Verdict::Safe, "Root → s");
}

fn tagged(variants: &[(&str, serde_json::Value)]) -> serde_json::Value {
    let variants: Vec<serde_json::Value> = variants
        .iter()
        .map(|(tag, fields)| {
            let mut props = fields.as_object().cloned().unwrap_or_default();
            props.insert("type".to_owned(), json!({ "const": tag, "type": "string" }));
            json!({ "type": "object", "properties": props, "required": ["type"] })
        })
        .collect();
    json!({ "oneOf": variants })
}

#[test]
fn union_variant_added_breaks_output_and_removed_breaks_input() {
    let before = json!({ "Root": object(json!({ "u": reference("U") }), &["u"]), "U": tagged(&[("a", json!({})), ("b", json!({}))]) });
    let after = json!({ "Root": object(json!({ "u": reference("U") }), &["u"]), "U": tagged(&[("a", json!({})), ("b", json!({})), ("c", json!({}))]) });
    only(
        &diff(ServerToClient, before.clone(), after.clone()),
        Kind::VariantAdded,
        Verdict::Breaking,
        "U",
    );
    only(
        &diff(ClientToServer, before.clone(), after.clone()),
        Kind::VariantAdded,
        Verdict::Safe,
        "U",
    );
    only(
        &diff(ClientToServer, after.clone(), before.clone()),
        Kind::VariantRemoved,
        Verdict::Breaking,
        "U",
    );
    only(&diff(ServerToClient, after, before), Kind::VariantRemoved, Verdict::Safe, "U");
}

#[test]
fn a_change_inside_a_union_variant_has_the_variant_in_its_path() {
    let policy = |roots: serde_json::Value| {
        json!({
            "Root": object(json!({ "sandbox": reference("SandboxPolicy") }), &["sandbox"]),
            "SandboxPolicy": tagged(&[("readOnly", json!({})), ("workspaceWrite", json!({ "writableRoots": roots }))]),
        })
    };
    let before = policy(json!({ "type": "array", "items": { "type": "string" } }));
    let after = policy(json!({ "type": "array", "items": { "type": "integer" } }));
    let change = only(
        &diff(ClientToServer, before, after),
        Kind::TypeChanged,
        Verdict::Breaking,
        "SandboxPolicy → variant workspaceWrite → writableRoots[]",
    );
    assert_eq!(
        change.paths[0],
        "test/method → params → sandbox → variant workspaceWrite → writableRoots[]"
    );
    assert_eq!(change.detail, "`string` → `integer`");
}

#[test]
fn tag_key_changed_is_breaking() {
    let before = json!({ "Root": tagged(&[("a", json!({})), ("b", json!({}))]) });
    let renamed = |v: &str| json!({ "type": "object", "properties": { "kind": { "const": v, "type": "string" } }, "required": ["kind"] });
    let after = json!({ "Root": { "oneOf": [renamed("a"), renamed("b")] } });
    for direction in Direction::ALL {
        let change = only(
            &diff(direction, before.clone(), after.clone()),
            Kind::TagKeyChanged,
            Verdict::Breaking,
            "Root",
        );
        assert_eq!(change.detail, "tagged by `type` → by `kind`");
    }
}

#[test]
fn value_casing_changed_is_breaking_in_both_directions() {
    let before = json!({ "Root": string_enum(&["done", "in_progress"]) });
    let after = json!({ "Root": string_enum(&["done", "inProgress"]) });
    for direction in Direction::ALL {
        let change = only(
            &diff(direction, before.clone(), after.clone()),
            Kind::ValueCasingChanged,
            Verdict::Breaking,
            "Root",
        );
        assert_eq!(change.detail, "value `in_progress` → value `inProgress`");
    }
}

#[test]
fn a_catch_all_variant_covers_the_fallback_variant_of_an_open_union() {
    let fallback = json!({ "Root": tagged(&[("a", json!({ "x": { "type": "string" } })), ("other", json!({}))]) });
    let mut catch_all = tagged(&[("a", json!({ "x": { "type": "string" } }))]);
    let any_other = json!({ "type": "object", "properties": { "type": { "type": "string", "not": { "enum": ["a"] } } }, "required": ["type"] });
    catch_all["oneOf"].as_array_mut().unwrap().push(any_other);
    assert_eq!(
        diff(ClientToServer, fallback.clone(), json!({ "Root": catch_all.clone() })),
        Vec::new()
    );
    // A catch-all that now also swallows `a` (no longer excluded) loses `a`'s field `x`.
    let mut wider = tagged(&[("b", json!({}))]);
    let any_but_b = json!({ "type": "object", "properties": { "type": { "type": "string", "not": { "enum": ["b"] } } }, "required": ["type"] });
    wider["oneOf"].as_array_mut().unwrap().push(any_but_b);
    let changes = diff(ClientToServer, fallback, json!({ "Root": wider }));
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_eq!(find(&changes, Kind::VariantAdded, "Root").verdict, Verdict::Safe);
    assert_eq!(find(&changes, Kind::FieldRemoved, "Root → variant a → x").verdict, Verdict::Safe);
}

// --- Types ------------------------------------------------------------------------------

#[test]
fn type_changed_string_to_number_or_object_to_array_is_breaking_in_both_directions() {
    let string = json!({ "Root": object(json!({ "v": { "type": "string" } }), &["v"]) });
    let number = json!({ "Root": object(json!({ "v": { "type": "number" } }), &["v"]) });
    let obj = json!({ "Root": object(json!({ "v": object(json!({ "a": { "type": "string" } }), &[]) }), &["v"]) });
    let array = json!({ "Root": object(json!({ "v": { "type": "array", "items": { "type": "string" } } }), &["v"]) });
    for direction in Direction::ALL {
        only(
            &diff(direction, string.clone(), number.clone()),
            Kind::TypeChanged,
            Verdict::Breaking,
            "Root → v",
        );
        only(
            &diff(direction, obj.clone(), array.clone()),
            Kind::TypeChanged,
            Verdict::Breaking,
            "Root → v",
        );
    }
}

#[test]
fn enum_to_plain_string_widens_integer_range_growth_widens() {
    let values =
        json!({ "Root": object(json!({ "v": { "enum": ["a", "b"], "type": "string" } }), &["v"]) });
    let string = json!({ "Root": object(json!({ "v": { "type": "string" } }), &["v"]) });
    only(
        &diff(ClientToServer, values.clone(), string.clone()),
        Kind::TypeWidened,
        Verdict::Safe,
        "Root → v",
    );
    only(
        &diff(ServerToClient, values.clone(), string.clone()),
        Kind::TypeWidened,
        Verdict::Breaking,
        "Root → v",
    );
    only(&diff(ClientToServer, string, values), Kind::TypeNarrowed, Verdict::Breaking, "Root → v");
    let u32 = json!({ "Root": object(json!({ "n": { "type": "integer", "format": "uint32", "minimum": 0 } }), &["n"]) });
    let u64 = json!({ "Root": object(json!({ "n": { "type": "integer", "format": "uint64", "minimum": 0 } }), &["n"]) });
    only(
        &diff(ServerToClient, u32.clone(), u64.clone()),
        Kind::RangeChanged,
        Verdict::Breaking,
        "Root → n",
    );
    only(
        &diff(ClientToServer, u32.clone(), u64.clone()),
        Kind::RangeChanged,
        Verdict::Safe,
        "Root → n",
    );
    only(&diff(ClientToServer, u64, u32), Kind::RangeChanged, Verdict::Breaking, "Root → n");
}

#[test]
fn a_keyword_the_check_does_not_model_is_unknown_and_closing_an_input_object_breaks() {
    let loose = json!({ "Root": object(json!({ "v": { "type": "array", "items": { "type": "string" } } }), &[]) });
    let unique = json!({ "Root": object(json!({ "v": { "type": "array", "items": { "type": "string" }, "uniqueItems": true } }), &[]) });
    only(
        &diff(ClientToServer, loose.clone(), unique),
        Kind::KeywordChanged,
        Verdict::Unknown,
        "Root → v",
    );
    let mut closed = loose.clone();
    closed["Root"]["additionalProperties"] = json!(false);
    only(
        &diff(ClientToServer, loose.clone(), closed.clone()),
        Kind::UnknownKeysChanged,
        Verdict::Breaking,
        "Root",
    );
    // What the server sends never carries unknown keys: no change in that direction.
    assert_eq!(diff(ServerToClient, loose, closed), Vec::new());
}

// --- Structure: nesting, cycles, both directions ----------------------------------------

#[test]
fn a_ref_cycle_terminates_and_reports_a_change_once_at_its_type() {
    let tree = |leaf: serde_json::Value| {
        json!({
            "Root": reference("Node"),
            "Node": object(json!({ "label": leaf, "children": { "type": "array", "items": reference("Node") } }), &["label", "children"]),
        })
    };
    assert_eq!(
        diff(ServerToClient, tree(json!({ "type": "string" })), tree(json!({ "type": "string" }))),
        Vec::new()
    );
    let change = only(
        &diff(
            ServerToClient,
            tree(json!({ "type": "string" })),
            tree(nullable(json!({ "type": "string" }))),
        ),
        Kind::MadeNullable,
        Verdict::Breaking,
        "Node → label",
    );
    assert_eq!(change.paths[0], "test/method → params → label");
}

#[test]
fn a_mutual_ref_cycle_through_a_union_terminates() {
    let defs = |extra: serde_json::Value| {
        json!({
            "Root": reference("A"),
            "A": { "anyOf": [reference("B"), { "type": "null" }] },
            "B": object(json!({ "a": reference("A"), "extra": extra }), &["a"]),
        })
    };
    let changes =
        diff(ClientToServer, defs(json!({ "type": "string" })), defs(json!({ "type": "boolean" })));
    only(&changes, Kind::TypeChanged, Verdict::Breaking, "B → extra");
}

#[test]
fn a_type_reached_from_both_directions_gets_both_rules() {
    let shared = |fields: serde_json::Value, required: &[&str]| {
        let defs = json!({ "Root": object(json!({ "s": reference("Shared") }), &["s"]), "Shared": object(fields, required) });
        let mut surface = surface(ClientToServer, defs.clone());
        surface.server_to_client = super::defs(defs);
        surface.methods = vec![entry(
            "test/request",
            Direction::ClientToServer,
            MessageKind::Request,
            Some("Root"),
            Some("Root"),
        )];
        surface
    };
    let before = shared(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a"]);
    let after = shared(json!({ "a": { "type": "string" } }), &["a"]);
    let changes = methods::compare(&before, &after);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    let receives = changes.iter().find(|c| c.direction == ClientToServer).unwrap();
    let sends = changes.iter().find(|c| c.direction == ServerToClient).unwrap();
    assert_eq!(
        (receives.kind, receives.verdict, receives.paths[0].as_str()),
        (Kind::FieldRemoved, Verdict::Safe, "test/request → params → s → b")
    );
    assert_eq!(
        (sends.kind, sends.verdict, sends.paths[0].as_str()),
        (Kind::FieldRemoved, Verdict::Breaking, "test/request → result → s → b")
    );
}

#[test]
fn a_flattened_tagged_enum_that_becomes_a_plain_field_compares_variant_by_variant() {
    // The baseline's `Turn`: shared fields beside a flattened enum tagged by `status`; only
    // `failed` carries `error`. Ours: `status` is an enum field and `error` is always there.
    let before = json!({
        "Root": object(json!({ "turn": reference("Turn") }), &["turn"]),
        "Turn": {
            "type": "object",
            "properties": { "id": { "type": "string" } },
            "required": ["id"],
            "oneOf": [
                { "type": "object", "properties": { "status": { "const": "completed", "type": "string" } }, "required": ["status"] },
                { "type": "object", "properties": { "status": { "const": "failed", "type": "string" }, "error": reference("TurnError") }, "required": ["status", "error"] },
            ],
        },
        "TurnError": object(json!({ "message": { "type": "string" } }), &["message"]),
    });
    let after = json!({
        "Root": object(json!({ "turn": reference("Turn") }), &["turn"]),
        "Turn": object(json!({ "id": { "type": "string" }, "status": reference("TurnStatus"), "error": nullable(reference("TurnError")) }), &["id", "status", "error"]),
        "TurnStatus": string_enum(&["completed", "failed"]),
        "TurnError": object(json!({ "message": { "type": "string" } }), &["message"]),
    });
    let changes = diff(ServerToClient, before, after);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_eq!(
        find(&changes, Kind::FieldAdded, "Turn → variant completed → error").verdict,
        Verdict::Safe
    );
    let nullable = find(&changes, Kind::MadeNullable, "Turn → variant failed → error");
    assert_eq!(
        (nullable.verdict, nullable.paths[0].as_str()),
        (Verdict::Breaking, "test/method → params → turn → variant failed → error")
    );
}

#[test]
fn externally_tagged_variants_compare_their_payloads() {
    let decision = |inner: serde_json::Value| {
        json!({ "Root": { "oneOf": [
            { "const": "accept", "type": "string" },
            { "type": "object", "properties": { "amend": inner }, "required": ["amend"], "additionalProperties": false },
        ] } })
    };
    let before = decision(object(
        json!({ "rule": { "type": "array", "items": { "type": "string" } } }),
        &["rule"],
    ));
    let after = decision(object(
        json!({ "rule": { "type": "array", "items": { "type": "string" } }, "note": { "type": "string" } }),
        &["rule", "note"],
    ));
    let change = only(
        &diff(ClientToServer, before, after),
        Kind::FieldAdded,
        Verdict::Breaking,
        "Root → variant amend → note",
    );
    assert_eq!(change.paths[0], "test/method → params → variant amend → note");
}

#[test]
fn an_unresolved_reference_is_unknown_not_a_panic() {
    let before = json!({ "Root": object(json!({ "a": reference("Gone") }), &["a"]) });
    let changes = diff(ClientToServer, before.clone(), before);
    assert!(
        changes.iter().all(|c| c.kind == Kind::UnresolvedRef && c.verdict == Verdict::Unknown),
        "{changes:#?}"
    );
    assert!(!changes.is_empty());
}

#[test]
fn either_of_two_keys_required_compares_as_two_object_shapes() {
    // `{ a } | { a_b }`: shared properties, and a `oneOf` that only says which is required.
    let either = |extra: serde_json::Value| {
        let mut root = json!({
            "type": "object",
            "properties": { "aB": { "type": "array", "items": { "type": "string" } }, "a_b": { "type": "array", "items": { "type": "string" } } },
            "oneOf": [{ "required": ["aB"] }, { "required": ["a_b"] }],
        });
        root["properties"]["aB"]["items"] = extra;
        json!({ "Root": root })
    };
    assert_eq!(
        diff(
            ClientToServer,
            either(json!({ "type": "string" })),
            either(json!({ "type": "string" }))
        ),
        Vec::new()
    );
    let changes = diff(
        ClientToServer,
        either(json!({ "type": "string" })),
        either(json!({ "type": "integer" })),
    );
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(
        (changes[0].kind, changes[0].verdict, changes[0].at.as_str()),
        (Kind::TypeChanged, Verdict::Breaking, "Root → aB[]")
    );
}
