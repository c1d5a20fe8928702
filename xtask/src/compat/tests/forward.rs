//! The compat judge and the decoder say the same: every change the judge calls safe on what the
//! server sends is made to real server lines (the wire fixtures), and the unchanged decoder of
//! this crate must still decode each changed line — so what `compat` lets a newer server do, an
//! older client survives.
//!
//! The cases are derived from the judge itself ([`judge`] over every wire [`Kind`] and every
//! [`Fact`]), not listed by hand: a kind the judge starts to call safe without an example
//! here fails the test by name. Run with `--nocapture` to see the cases and their counts
//! (`cargo xtask ci` does).

use std::collections::{BTreeMap, BTreeSet};

use app_server_protocol::Direction::ServerToClient;
use app_server_protocol::transcript::TranscriptDecoder;
use app_server_protocol::{Direction, all_methods};
use serde_json::{Value, json};

use crate::ci::workspace_root;
use crate::compat::rules::{Fact, Kind, Verdict, judge};
use crate::fixtures::load;

const FACTS: &[Fact] = &[
    Fact::None,
    Fact::Required,
    Fact::Optional,
    Fact::Open,
    Fact::Widened,
    Fact::Narrowed,
    Fact::Changed,
    Fact::Request,
];

/// One exchange of the fixtures: its lines in order, with their senders.
type Exchange = Vec<(Direction, Value)>;

/// What one case tried: changed lines decoded, and what was left without an example.
#[derive(Default)]
struct Tally {
    decoded: usize,
    failures: Vec<String>,
}

#[test]
fn every_change_the_judge_calls_safe_for_what_the_server_sends_decodes_unchanged() {
    let exchanges = exchanges();
    let sends: Value = read_json("generated/schema/server-sends.schema.json");
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for case in safe_cases() {
        let tally = match case {
            (Kind::MethodAdded, _) => method_added(&exchanges),
            (Kind::ParamsAdded, _) => params_added(&exchanges),
            (Kind::FieldAdded, _) | (Kind::UnknownKeysChanged, _) => {
                field_added(&exchanges, &sends)
            }
            (Kind::ValueAdded | Kind::VariantAdded, Fact::Open) => open_value(&exchanges, &sends),
            // Narrowing what the server sends: the new outputs are some of the old ones, so
            // every output the decoder reads today must decode (checked on every line).
            (
                Kind::MadeRequired
                | Kind::MadeNonNullable
                | Kind::TypeNarrowed
                | Kind::ValueRemoved
                | Kind::VariantRemoved
                | Kind::RangeChanged
                | Kind::LengthChanged
                | Kind::FormatChanged
                | Kind::PatternChanged,
                _,
            ) => unchanged(&exchanges),
            (kind, fact) => Tally {
                decoded: 0,
                failures: vec![format!(
                    "the judge calls `{kind}` ({fact:?}) safe on what the server sends, but this test makes no example of it: add one"
                )],
            },
        };
        report.push(format!(
            "{:<22} {:<9} {} changed lines decode",
            case.0.as_str(),
            format!("{:?}", case.1),
            tally.decoded
        ));
        if tally.decoded == 0 && tally.failures.is_empty() {
            failures.push(format!("`{}` ({:?}): no example line", case.0, case.1));
        }
        failures.extend(tally.failures);
    }
    println!("forward compatibility: {} safe change kinds on what the server sends", report.len());
    for line in &report {
        println!("  {line}");
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Every (kind, fact) the judge calls safe for data the server sends; wire changes only.
fn safe_cases() -> BTreeSet<(Kind, Fact)> {
    let mut cases = BTreeSet::new();
    for &kind in Kind::ALL.iter().filter(|kind| kind.is_wire()) {
        for &fact in FACTS {
            if judge(kind, ServerToClient, fact) == Verdict::Safe {
                // Only the facts that change the example: one case per kind and fact group.
                cases.insert((
                    kind,
                    if kind == Kind::ValueAdded || kind == Kind::VariantAdded {
                        fact
                    } else {
                        Fact::None
                    },
                ));
            }
        }
    }
    cases
}

fn read_json(relative: &str) -> Value {
    let path = workspace_root().join(relative);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The fixture exchanges, each line with its sender.
fn exchanges() -> Vec<Exchange> {
    let corpus = load(&workspace_root()).unwrap_or_else(|errors| panic!("{}", errors.join("\n")));
    corpus
        .files
        .into_iter()
        .map(|(_, lines)| lines.into_iter().map(|line| (line.from, line.message)).collect())
        .collect()
}

/// Decodes `exchange` with line `at` replaced by `changed`; `Err` says why it failed.
fn decode_changed(exchange: &Exchange, at: usize, changed: &Value) -> Result<Value, String> {
    let mut transcript = TranscriptDecoder::new();
    for (from, message) in &exchange[..at] {
        let _earlier = transcript.decode(*from, &message.to_string());
    }
    let decoded =
        transcript.decode(ServerToClient, &changed.to_string()).map_err(|err| err.to_string())?;
    decoded.to_value().map_err(|err| err.to_string())
}

/// Runs `change` on every server line; each changed line must decode.
fn each_server_line(
    exchanges: &[Exchange],
    what: &str,
    mut change: impl FnMut(&Value) -> Vec<Value>,
) -> Tally {
    let mut tally = Tally::default();
    for exchange in exchanges {
        for (at, (from, message)) in exchange.iter().enumerate() {
            if *from != ServerToClient {
                continue;
            }
            for changed in change(message) {
                match decode_changed(exchange, at, &changed) {
                    Ok(_) => tally.decoded += 1,
                    Err(err) => {
                        tally.failures.push(format!("{what}: {changed} does not decode: {err}"))
                    }
                }
            }
        }
    }
    tally
}

/// A notification of a method no table knows (a newer server's).
fn method_added(exchanges: &[Exchange]) -> Tally {
    each_server_line(exchanges, "method-added", |message| {
        let is_notification = message.get("method").is_some() && message.get("id").is_none();
        if !is_notification {
            return Vec::new();
        }
        let mut changed = message.clone();
        let method = changed["method"].as_str().unwrap_or_default().to_owned();
        // Outside every table (a name under a family's prefix would belong to the family).
        changed["method"] = json!(format!("newer/{method}"));
        vec![changed]
    })
}

/// A server → client method without params gains some. The table has none today, so the
/// params a methodless row decodes (`NoParams`) are given members, and every server line
/// without params is tried with some.
fn params_added(exchanges: &[Exchange]) -> Tally {
    let without: Vec<&str> = all_methods()
        .filter(|meta| meta.direction == ServerToClient && meta.params_type.is_none())
        .map(|meta| meta.wire_name)
        .collect();
    let mut tally = each_server_line(exchanges, "params-added", |message| {
        let lacks = message.get("method").is_some() && message.get("params").is_none();
        if !lacks {
            return Vec::new();
        }
        let mut changed = message.clone();
        changed["params"] = json!({"newer": true});
        vec![changed]
    });
    match serde_json::from_value::<app_server_protocol::NoParams>(json!({"newer": true})) {
        Ok(_) => tally.decoded += 1,
        Err(err) => tally.failures.push(format!("params-added: NoParams refuses members: {err}")),
    }
    if !without.is_empty() && tally.decoded < 2 {
        tally.failures.push(format!("params-added: no fixture of {without:?} without params"));
    }
    tally
}

/// A member added to any struct of what the server sends (found by the schema walk), one
/// struct at a time.
fn field_added(exchanges: &[Exchange], sends: &Value) -> Tally {
    each_server_line_with_places(
        exchanges,
        sends,
        |message, places| {
            let mut changes = Vec::new();
            for pointer in &places.structs {
                let mut changed = message.clone();
                let Some(object) = changed.pointer_mut(pointer).and_then(Value::as_object_mut)
                else {
                    continue;
                };
                object.insert("memberOfANewerServer".to_owned(), json!({"any": [1, "json"]}));
                changes.push((format!("field-added at {pointer}"), changed));
            }
            changes
        },
        |_, _, _| Ok(()),
    )
}

/// Every server line decodes as it is.
fn unchanged(exchanges: &[Exchange]) -> Tally {
    each_server_line(exchanges, "narrowed", |message| vec![message.clone()])
}

/// Runs `change` on every server line with the places its schema walk found; each changed
/// line must decode, and `keeps` says whether the decoded line kept the change.
fn each_server_line_with_places(
    exchanges: &[Exchange],
    sends: &Value,
    mut change: impl FnMut(&Value, &Places) -> Vec<(String, Value)>,
    mut kept: impl FnMut(&str, &Value, &Value) -> Result<(), String>,
) -> Tally {
    let defs = sends["$defs"].as_object().expect("the bundle has $defs");
    let mut tally = Tally::default();
    for exchange in exchanges {
        let mut pending = BTreeMap::new();
        for (at, (from, message)) in exchange.iter().enumerate() {
            if let (Some(method), Some(id)) =
                (message.get("method").and_then(Value::as_str), message.get("id"))
            {
                pending.insert(id.to_string(), method.to_owned());
            }
            if *from != ServerToClient {
                continue;
            }
            let Some((payload, def)) = payload_def(message, &pending) else { continue };
            let mut places = Places::default();
            let root = json!({"$ref": format!("#/$defs/{def}")});
            walk(&message[payload], &root, defs, &format!("/{payload}"), &mut places);
            for (label, changed) in change(message, &places) {
                match decode_changed(exchange, at, &changed) {
                    Ok(encoded) => match kept(&label, &changed, &encoded) {
                        Ok(()) => tally.decoded += 1,
                        Err(why) => tally.failures.push(format!("{label}: {why}")),
                    },
                    Err(err) => {
                        tally.failures.push(format!("{label}: {changed} does not decode: {err}"))
                    }
                }
            }
        }
    }
    tally
}

/// A value or variant added to an open enum or union: every place a fixture has a value of
/// an open type (found by walking the line with the server's output schema) gets one it does
/// not know; the line must decode, and encode back with the new value. Every open type that
/// what the server sends can reach must have such a place.
fn open_value(exchanges: &[Exchange], sends: &Value) -> Tally {
    let defs = sends["$defs"].as_object().expect("the bundle has $defs");
    let mut covered: BTreeMap<String, usize> = defs
        .iter()
        .filter(|(_, def)| def.get("x-open-enum") == Some(&json!(true)))
        .map(|(name, _)| (name.clone(), 0))
        .collect();
    let mut tally = each_server_line_with_places(
        exchanges,
        sends,
        |message, places| {
            let mut changes = Vec::new();
            for (name, pointer) in &places.open {
                let mut changed = message.clone();
                let Some(slot) = changed.pointer_mut(pointer) else { continue };
                *slot = newer_value(slot);
                changes.push((format!("{name} at {pointer}"), changed));
            }
            changes
        },
        |label, changed, encoded| {
            let pointer = label.rsplit(" at ").next().unwrap_or_default();
            let name = label.split(" at ").next().unwrap_or_default();
            let (newer, decoded) = (changed.pointer(pointer), encoded.pointer(pointer));
            // Kept as it came; or, for the catch-alls the published 0.63 wire documents
            // (`PlanType`'s `"unknown"`, `ResponseItem`'s `{"type":"other"}` …), read as the
            // type's own fallback value: the message survives either way.
            let fallback = decoded.is_some_and(|value| is_listed_value(&defs[name], value));
            if decoded != newer && !fallback {
                return Err(format!(
                    "the newer value was neither kept nor read as a fallback: {decoded:?}"
                ));
            }
            if let Some(count) = covered.get_mut(name) {
                *count += 1;
            }
            Ok(())
        },
    );
    for (name, count) in covered {
        println!("  open type {name:<22} {count} places");
        if count == 0 {
            tally.failures.push(format!(
                "open type `{name}`: no fixture line of what the server sends carries it"
            ));
        }
    }
    tally
}

/// Whether `value` is one of the values an enum or union definition lists (a string constant,
/// or an object whose only member is a `type` tag that is one of its constants).
fn is_listed_value(def: &Value, value: &Value) -> bool {
    let text = serde_json::to_string(def).unwrap_or_default();
    let wanted = match value {
        Value::String(_) => value.clone(),
        Value::Object(members) if members.len() == 1 => {
            members.get("type").cloned().unwrap_or(Value::Null)
        }
        _ => return false,
    };
    text.contains(&format!("\"const\":{wanted}"))
}

/// A value the open type does not know, in the shape of `old`: a string, or an object with a
/// new tag and the old members.
fn newer_value(old: &Value) -> Value {
    match old {
        Value::Object(members) if members.contains_key("type") => {
            let mut members = members.clone();
            members.insert("type".to_owned(), json!("kindOfANewerServer"));
            Value::Object(members)
        }
        _ => json!("valueOfANewerServer"),
    }
}

/// The payload member of a server line and the definition that types it.
fn payload_def(
    message: &Value,
    pending: &BTreeMap<String, String>,
) -> Option<(&'static str, String)> {
    let (payload, method, role_result) =
        if let Some(method) = message.get("method").and_then(Value::as_str) {
            ("params", method.to_owned(), false)
        } else if message.get("result").is_some() {
            ("result", pending.get(&message.get("id")?.to_string())?.clone(), true)
        } else {
            return None;
        };
    let meta = all_methods().find(|meta| meta.answers_to(&method))?;
    let path = if role_result { meta.result_type? } else { meta.params_type? };
    Some((payload, def_name(path)))
}

/// The bundle's definition name of a Rust type path of the table (`v2::ThreadItem` →
/// `v2.ThreadItem`; other modules have bare names).
fn def_name(path: &str) -> String {
    let path = path.replace(' ', "");
    let bare = path.rsplit("::").next().unwrap_or(&path).to_owned();
    if path.starts_with("v2::") { format!("v2.{bare}") } else { bare }
}

/// What walking a line with its schema found.
#[derive(Default)]
struct Places {
    /// Values of an open type: (its definition, JSON pointer).
    open: Vec<(String, String)>,
    /// Objects that are structs a member can be added to: they have `properties` and do not
    /// forbid other members (an externally tagged variant's one-key object does, and a map's
    /// keys are data, not members).
    structs: BTreeSet<String>,
}

/// Walks `value` along `schema`, noting the places of open types and of structs.
fn walk(
    value: &Value,
    schema: &Value,
    defs: &serde_json::Map<String, Value>,
    pointer: &str,
    out: &mut Places,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        let Some(def) = defs.get(name) else { return };
        if def.get("x-open-enum") == Some(&json!(true)) {
            out.open.push((name.to_owned(), pointer.to_owned()));
        }
        walk(value, def, defs, pointer, out);
        // Siblings of a `$ref` (a tag constant beside it) are walked too, below.
    }
    for alternative in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        walk(value, alternative, defs, pointer, out);
    }
    // Down a union only where exactly one alternative fits: an ambiguous one (an untagged
    // union of two object shapes) is not guessed at.
    for key in ["anyOf", "oneOf"] {
        let alternatives = schema.get(key).and_then(Value::as_array).into_iter().flatten();
        let fitting: Vec<&Value> =
            alternatives.filter(|alternative| fits_tag(value, alternative, defs)).collect();
        if let [only] = fitting.as_slice() {
            walk(value, only, defs, pointer, out);
        }
    }
    match value {
        Value::Object(members) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            if properties.is_some_and(|p| !is_variant_object(schema, p))
                && schema.get("additionalProperties") != Some(&json!(false))
            {
                out.structs.insert(pointer.to_owned());
            }
            for (key, member) in members {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let member_schema = properties
                    .and_then(|p| p.get(key))
                    .or_else(|| schema.get("additionalProperties").filter(|s| s.is_object()));
                if let Some(member_schema) = member_schema {
                    walk(member, member_schema, defs, &format!("{pointer}/{escaped}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items").filter(|s| s.is_object()) {
                for (index, item) in items.iter().enumerate() {
                    walk(item, item_schema, defs, &format!("{pointer}/{index}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Whether an object schema is the one-key object of an externally tagged variant
/// (`{"Ok": …}`, `{"httpConnectionFailed": {…}}`): its one property is required, and the key
/// is the variant, not a member.
fn is_variant_object(schema: &Value, properties: &serde_json::Map<String, Value>) -> bool {
    let required = schema.get("required").and_then(Value::as_array);
    properties.len() == 1
        && required
            .is_some_and(|r| r.len() == 1 && properties.contains_key(r[0].as_str().unwrap_or("")))
        && schema.pointer("/properties/type").is_none()
}

/// Whether an alternative of a union may be the one `value` is: its `type` tag (when it has
/// a constant one) matches, its constant matches, and its JSON type fits.
fn fits_tag(value: &Value, alternative: &Value, defs: &serde_json::Map<String, Value>) -> bool {
    if let Some(tag) = alternative.pointer("/properties/type/const") {
        return value.get("type") == Some(tag);
    }
    let resolved = match alternative.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            defs.get(reference.trim_start_matches("#/$defs/")).unwrap_or(alternative)
        }
        None => alternative,
    };
    if let Some(constant) = resolved.get("const") {
        return constant == value;
    }
    if let Some(tag) = resolved.pointer("/properties/type/const") {
        return value.get("type") == Some(tag);
    }
    match resolved.get("type").and_then(Value::as_str) {
        Some("null") => value.is_null(),
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        _ => true,
    }
}
