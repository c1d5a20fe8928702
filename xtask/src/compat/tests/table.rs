//! The method table and the rules beyond the direction rule: methods added, removed,
//! renamed (a new server → client request breaks old clients), v1 frozen, stability
//! (methods, fields, variants, types), and a change in a named type reported once with every
//! method path that reaches it.

use app_server_protocol::Direction::{ClientToServer, ServerToClient};
use app_server_protocol::MessageKind::{self, Notification, Request};
use serde_json::{Value, json};

use super::super::Change;
use super::super::baseline::Baseline;
use super::super::rules::{Kind, Verdict};
use super::{
    defs, diff, entry, find, methods, nullable, object, only, reference, string_enum, surface,
};

fn two_fields() -> Value {
    json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a"]) })
}

fn one_field() -> Value {
    json!({ "Root": object(json!({ "a": { "type": "string" } }), &["a"]) })
}

/// `one_field` → `two_fields` as a one-method surface of `direction`, the method in `api`
/// with `stability` on both sides.
fn field_added(
    direction: app_server_protocol::Direction,
    api: &str,
    stability: &str,
) -> Vec<Change> {
    let mut before = surface(direction, one_field());
    let mut after = surface(direction, two_fields());
    for surface in [&mut before, &mut after] {
        surface.methods[0].api = api.to_owned();
        surface.methods[0].stability = stability.to_owned();
    }
    methods::compare(&before, &after)
}

// --- Methods ---------------------------------------------------------------------------

#[test]
fn method_removed_is_breaking_and_added_is_safe() {
    let before = surface(ClientToServer, one_field());
    let mut after = before.clone();
    after.methods[0].name = "test/other".to_owned();
    let changes = methods::compare(&before, &after);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_eq!(
        (changes[0].kind, changes[0].verdict, changes[0].at.as_str()),
        (Kind::MethodAdded, Verdict::Safe, "method test/other")
    );
    assert_eq!(
        (changes[1].kind, changes[1].verdict, changes[1].at.as_str()),
        (Kind::MethodRemoved, Verdict::Breaking, "method test/method")
    );
}

/// A baseline with no method, and a current surface with one method of `direction` and
/// `kind` (in v2).
fn new_method(direction: app_server_protocol::Direction, kind: MessageKind) -> Vec<Change> {
    let before = Baseline { methods: Vec::new(), ..surface(direction, one_field()) };
    let mut after = surface(direction, one_field());
    after.methods[0].kind = kind;
    methods::compare(&before, &after)
}

#[test]
fn a_new_server_request_breaks_old_clients_and_every_other_new_method_is_safe() {
    let change = only(
        &new_method(ServerToClient, Request),
        Kind::MethodAdded,
        Verdict::Breaking,
        "method test/method",
    );
    assert_eq!(
        change.detail,
        "new server → client request `test/method`; old clients can only answer it with -32601"
    );
    assert_eq!(change.direction, ServerToClient);
    for (direction, kind) in
        [(ServerToClient, Notification), (ClientToServer, Request), (ClientToServer, Notification)]
    {
        let change = only(
            &new_method(direction, kind),
            Kind::MethodAdded,
            Verdict::Safe,
            "method test/method",
        );
        assert!(!change.detail.contains("-32601"), "{change:?}");
    }
}

#[test]
fn method_renamed_with_the_old_name_as_alias_is_safe_for_a_client_method_only() {
    let before = surface(ClientToServer, two_fields());
    let mut after = surface(
        ClientToServer,
        json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a", "b"]) }),
    );
    after.methods[0].name = "test/renamed".to_owned();
    after.methods[0].aliases = vec!["test/method".to_owned()];
    let changes = methods::compare(&before, &after);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_eq!((changes[0].kind, changes[0].verdict), (Kind::MethodRenamed, Verdict::Safe));
    assert_eq!(
        (changes[1].kind, changes[1].verdict, changes[1].paths[0].as_str()),
        (Kind::MadeRequired, Verdict::Breaking, "test/renamed → params → b")
    );
    // The server sends a renamed notification under its new name, which old clients do not
    // know; the alias only helps what the server receives.
    let before = surface(ServerToClient, one_field());
    let mut after = before.clone();
    after.methods[0].name = "test/renamed".to_owned();
    after.methods[0].aliases = vec!["test/method".to_owned()];
    only(
        &methods::compare(&before, &after),
        Kind::MethodRenamed,
        Verdict::Breaking,
        "method test/renamed",
    );
}

#[test]
fn alias_removed_is_breaking() {
    let mut before = surface(ClientToServer, one_field());
    before.methods[0].aliases = vec!["test/old".to_owned()];
    let after = surface(ClientToServer, one_field());
    only(
        &methods::compare(&before, &after),
        Kind::AliasRemoved,
        Verdict::Breaking,
        "method test/method",
    );
}

#[test]
fn method_direction_or_kind_changed_is_breaking() {
    let before = surface(ClientToServer, one_field());
    let mut after = before.clone();
    after.methods[0].direction = ServerToClient;
    only(
        &methods::compare(&before, &after),
        Kind::MethodDirectionChanged,
        Verdict::Breaking,
        "method test/method",
    );
    let mut after = before.clone();
    after.methods[0].kind = Request;
    only(
        &methods::compare(&before, &after),
        Kind::MethodKindChanged,
        Verdict::Breaking,
        "method test/method",
    );
}

#[test]
fn params_added_to_a_method_without_params_breaks_input_only_when_required() {
    let mut before = surface(ClientToServer, two_fields());
    before.methods[0].params = None;
    let after = surface(ClientToServer, two_fields());
    only(
        &methods::compare(&before, &after),
        Kind::ParamsAdded,
        Verdict::Breaking,
        "method test/method",
    );
    let mut after = surface(
        ClientToServer,
        json!({ "Root": object(json!({ "a": { "type": "string" } }), &[]) }),
    );
    after.methods[0] = entry("test/method", ClientToServer, Notification, Some("Root"), None);
    only(
        &methods::compare(&before, &after),
        Kind::ParamsAdded,
        Verdict::Safe,
        "method test/method",
    );
}

// --- v1 is frozen ------------------------------------------------------------------------

#[test]
fn v1_is_frozen_an_output_field_added_through_a_v1_or_shared_method_breaks() {
    let v2 = only(
        &field_added(ServerToClient, "v2", "stable"),
        Kind::FieldAdded,
        Verdict::Safe,
        "Root → b",
    );
    assert_eq!(v2.detail, "optional field `b` added");
    for api in ["v1", "shared"] {
        let change = only(
            &field_added(ServerToClient, api, "stable"),
            Kind::FieldAdded,
            Verdict::Breaking,
            "Root → b",
        );
        assert_eq!(change.detail, "optional field `b` added; v1 is frozen at 0.63.0");
    }
    // Even a change the baseline marks experimental: v1 does not change at all.
    only(
        &field_added(ClientToServer, "v1", "experimental"),
        Kind::FieldAdded,
        Verdict::Breaking,
        "Root → b",
    );
}

#[test]
fn v1_is_frozen_a_type_v2_and_v1_share_breaks_through_the_v1_method_and_v1_gets_no_new_method() {
    let shared = |values: &[&str]| {
        let types = json!({
            "Root": object(json!({ "e": reference("E") }), &["e"]),
            "E": string_enum(values),
        });
        let mut surface = surface(ClientToServer, types);
        surface.methods.push(entry(
            "legacyMethod",
            ClientToServer,
            Notification,
            Some("Root"),
            None,
        ));
        surface.methods[1].api = "v1".to_owned();
        surface
    };
    let changes = methods::compare(&shared(&["a"]), &shared(&["a", "b"]));
    let change = only(&changes, Kind::ValueAdded, Verdict::Breaking, "E");
    assert_eq!(change.paths, ["test/method → params → e", "legacyMethod → params → e"]);
    assert!(change.detail.ends_with("; v1 is frozen at 0.63.0"), "{}", change.detail);

    let before = shared(&["a"]);
    let mut after = before.clone();
    after.methods.push(entry("newLegacyMethod", ClientToServer, Notification, Some("Root"), None));
    after.methods[2].api = "v1".to_owned();
    let change = only(
        &methods::compare(&before, &after),
        Kind::MethodAdded,
        Verdict::Breaking,
        "method newLegacyMethod",
    );
    assert!(change.detail.ends_with("v1 is frozen at 0.63.0"), "{}", change.detail);
    // Table changes that are not wire: an alias added to a v1 method stays safe.
    let mut after = before.clone();
    after.methods[1].aliases = vec!["legacy/method".to_owned()];
    only(
        &methods::compare(&before, &after),
        Kind::AliasAdded,
        Verdict::Safe,
        "method legacyMethod",
    );
}

// --- Stability -------------------------------------------------------------------------

#[test]
fn a_method_made_experimental_breaks_made_stable_is_safe_and_changes_inside_one_are_safe() {
    let before = surface(ServerToClient, one_field());
    let mut after = before.clone();
    after.methods[0].stability = "experimental".to_owned();
    let change = only(
        &methods::compare(&before, &after),
        Kind::MadeExperimental,
        Verdict::Breaking,
        "method test/method",
    );
    assert_eq!(change.detail, "stable → experimental");
    only(&methods::compare(&after, &before), Kind::MadeStable, Verdict::Safe, "method test/method");
    // A field removed from what an experimental method sends: safe, with the rule named.
    let mut before = surface(ServerToClient, two_fields());
    before.methods[0].stability = "experimental".to_owned();
    let mut after = surface(ServerToClient, one_field());
    after.methods[0].stability = "experimental".to_owned();
    let change =
        only(&methods::compare(&before, &after), Kind::FieldRemoved, Verdict::Safe, "Root → b");
    assert!(change.detail.ends_with("only reached inside something experimental in the baseline"));
    // A method the baseline marks experimental may disappear.
    let before =
        Baseline { methods: before.methods.clone(), ..surface(ServerToClient, one_field()) };
    let after = Baseline { methods: Vec::new(), ..before.clone() };
    only(
        &methods::compare(&before, &after),
        Kind::MethodRemoved,
        Verdict::Safe,
        "method test/method",
    );
}

fn marked(schema: Value) -> Value {
    let mut schema = schema;
    schema["x-experimental"] = json!(true);
    schema
}

#[test]
fn a_field_made_experimental_breaks_made_stable_is_safe_and_changes_inside_one_are_safe() {
    let with = |b: Value| json!({ "Root": object(json!({ "a": { "type": "string" }, "b": b }), &["a", "b"]) });
    let string = json!({ "type": "string" });
    let (stable, experimental) = (with(string.clone()), with(marked(string.clone())));
    let change = only(
        &diff(ServerToClient, stable.clone(), experimental.clone()),
        Kind::MadeExperimental,
        Verdict::Breaking,
        "Root → b",
    );
    assert_eq!(change.detail, "field `b` stable → experimental");
    only(
        &diff(ServerToClient, experimental.clone(), stable.clone()),
        Kind::MadeStable,
        Verdict::Safe,
        "Root → b",
    );
    // Inside it: a type change that would break is safe; the field may also disappear.
    let changed = with(marked(json!({ "type": "integer" })));
    only(
        &diff(ServerToClient, experimental.clone(), changed),
        Kind::TypeChanged,
        Verdict::Safe,
        "Root → b",
    );
    only(
        &diff(ServerToClient, experimental, one_field()),
        Kind::FieldRemoved,
        Verdict::Safe,
        "Root → b",
    );
    // A stable field removed still breaks.
    only(
        &diff(ServerToClient, stable, one_field()),
        Kind::FieldRemoved,
        Verdict::Breaking,
        "Root → b",
    );
}

#[test]
fn a_variant_or_type_made_experimental_breaks_and_an_experimental_one_may_change() {
    let variant = |tag: &str, extra: Value| {
        let mut props = json!({ "type": { "const": tag, "type": "string" } });
        if let Value::Object(extra) = extra {
            props.as_object_mut().unwrap().extend(extra);
        }
        json!({ "type": "object", "properties": props, "required": ["type"] })
    };
    let union = |b: Value| json!({ "Root": object(json!({ "u": reference("U") }), &["u"]), "U": { "oneOf": [variant("a", json!({})), b] } });
    let stable = union(variant("b", json!({})));
    let experimental = union(marked(variant("b", json!({}))));
    let change = only(
        &diff(ServerToClient, stable.clone(), experimental.clone()),
        Kind::MadeExperimental,
        Verdict::Breaking,
        "U → variant b",
    );
    assert_eq!(change.detail, "variant `b` stable → experimental");
    only(
        &diff(ServerToClient, experimental.clone(), stable.clone()),
        Kind::MadeStable,
        Verdict::Safe,
        "U → variant b",
    );
    // An experimental variant may disappear (from what the server receives, removing a
    // stable one breaks).
    let without = json!({ "Root": object(json!({ "u": reference("U") }), &["u"]), "U": { "oneOf": [variant("a", json!({}))] } });
    only(
        &diff(ClientToServer, experimental.clone(), without.clone()),
        Kind::VariantRemoved,
        Verdict::Safe,
        "U",
    );
    only(&diff(ClientToServer, stable, without), Kind::VariantRemoved, Verdict::Breaking, "U");
    let grown = union(marked(variant("b", json!({ "x": { "type": "string" } }))));
    let grown_required = {
        let mut grown = grown.clone();
        grown["U"]["oneOf"][1]["required"] = json!(["type", "x"]);
        grown
    };
    only(
        &diff(ClientToServer, experimental, grown_required),
        Kind::FieldAdded,
        Verdict::Safe,
        "U → variant b → x",
    );

    // A named type.
    let typed =
        |t: Value| json!({ "Root": object(json!({ "t": reference("T") }), &["t"]), "T": t });
    let t = object(json!({ "x": { "type": "string" } }), &["x"]);
    let change = only(
        &diff(ServerToClient, typed(t.clone()), typed(marked(t.clone()))),
        Kind::MadeExperimental,
        Verdict::Breaking,
        "T",
    );
    assert_eq!(change.detail, "`T` stable → experimental");
    let t_without_x = object(json!({}), &[]);
    only(
        &diff(ServerToClient, typed(marked(t)), typed(marked(t_without_x))),
        Kind::FieldRemoved,
        Verdict::Safe,
        "T → x",
    );
}

// --- Once per named type ---------------------------------------------------------------

#[test]
fn a_new_value_of_a_shared_enum_is_one_change_at_the_enum_with_every_path() {
    let types = |values: &[&str]| {
        json!({
            "Root": object(json!({ "effort": nullable(reference("Effort")), "nested": reference("Nested") }), &["effort", "nested"]),
            "Other": object(json!({ "e": reference("Effort") }), &["e"]),
            "Nested": object(json!({ "deep": { "type": "array", "items": reference("Effort") } }), &["deep"]),
            "Effort": string_enum(values),
        })
    };
    let surface = |values: &[&str]| {
        let mut surface = surface(ServerToClient, types(values));
        surface.methods.push(entry(
            "test/other",
            ServerToClient,
            Notification,
            Some("Other"),
            None,
        ));
        surface.methods.push(entry("test/request", ClientToServer, Request, None, Some("Root")));
        surface.server_to_client = defs(types(values));
        surface
    };
    let changes = methods::compare(&surface(&["low", "high"]), &surface(&["low", "high", "max"]));
    let change = only(&changes, Kind::ValueAdded, Verdict::Breaking, "Effort");
    assert_eq!(
        change.paths,
        [
            "test/method → params → effort",
            "test/other → params → e",
            "test/request → result → effort"
        ],
        "one path per method, the shortest, in table order"
    );
    let found = find(&changes, Kind::ValueAdded, "Effort");
    assert_eq!(found.detail, "value `max` added (now `\"low\" | \"high\" | \"max\"`)");
}

/// The Rust attribute the README gives marks a field and a variant the way the judge reads.
#[test]
fn the_schemars_attribute_marks_fields_and_variants_experimental() {
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Plain {
        a: String,
        b: Option<Mode>,
    }
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Marked {
        a: String,
        #[schemars(extend("x-experimental" = true))]
        b: Option<Mode>,
    }
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    #[serde(tag = "type")]
    enum Mode {
        Fast,
        Slow { depth: u8 },
    }
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    #[serde(tag = "type", rename = "Mode")]
    enum MarkedMode {
        Fast,
        #[schemars(extend("x-experimental" = true))]
        Slow {
            depth: u8,
        },
    }
    let types = |root: Value, mode: Value| json!({ "Root": root, "Mode": mode });
    let schema = |s: schemars::Schema| {
        let mut value = s.to_value();
        value.as_object_mut().unwrap().remove("$defs");
        value.as_object_mut().unwrap().remove("$schema");
        value
    };
    let (plain, mode) = (schema(schemars::schema_for!(Plain)), schema(schemars::schema_for!(Mode)));
    let marked = schema(schemars::schema_for!(Marked));
    let change = only(
        &diff(ServerToClient, types(plain.clone(), mode.clone()), types(marked, mode.clone())),
        Kind::MadeExperimental,
        Verdict::Breaking,
        "Root → b",
    );
    assert_eq!(change.detail, "field `b` stable → experimental");
    let marked_mode = schema(schemars::schema_for!(MarkedMode));
    only(
        &diff(ServerToClient, types(plain.clone(), mode), types(plain, marked_mode)),
        Kind::MadeExperimental,
        Verdict::Breaking,
        "Mode → variant Slow",
    );
}
