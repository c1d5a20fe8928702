//! Tests of the generator bundle: the meta-schema, the shapes generators need, and every
//! wire fixture valid against the root of its sender.

use serde_json::{Map, Value};

use crate::ci::workspace_root;
use crate::codegen::tests::{file, rendered};

fn bundle() -> Value {
    serde_json::from_str(file(&rendered(), super::FILE)).expect("the bundle is JSON")
}

fn defs(bundle: &Value) -> &Map<String, Value> {
    bundle["$defs"].as_object().expect("$defs")
}

/// Every object of a schema, depth first.
fn objects<'a>(value: &'a Value, out: &mut Vec<&'a Map<String, Value>>) {
    match value {
        Value::Object(map) => {
            out.push(map);
            map.values().for_each(|child| objects(child, out));
        }
        Value::Array(items) => items.iter().for_each(|item| objects(item, out)),
        _ => {}
    }
}

#[test]
fn the_bundle_passes_the_meta_schema_with_flat_names_and_no_if_then() {
    let bundle = bundle();
    jsonschema::meta::validate(&bundle).expect("valid against the 2020-12 meta-schema");
    for name in defs(&bundle).keys() {
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "`{name}` is not an identifier"
        );
    }
    let mut all = Vec::new();
    objects(&bundle, &mut all);
    for keyword in ["if", "then", "else"] {
        assert!(all.iter().all(|o| !o.contains_key(keyword)), "`{keyword}` in the bundle");
    }
    for map in &all {
        if let Some(Value::String(target)) = map.get("$ref") {
            let name = target.strip_prefix("#/$defs/").expect("a local $ref");
            assert!(defs(&bundle).contains_key(name), "`{target}` names no definition");
        }
    }
    for root in ["ClientMessage", "ServerMessage"] {
        assert!(defs(&bundle).contains_key(root), "no root `{root}`");
    }
}

#[test]
fn tagged_unions_are_one_of_refs_with_a_discriminator_mapping() {
    let bundle = bundle();
    let defs = defs(&bundle);
    let item = &defs["KnownThreadItem"];
    let mapping = item["discriminator"]["mapping"].as_object().expect("a mapping");
    assert_eq!(item["discriminator"]["propertyName"], "type");
    assert_eq!(mapping.len(), item["oneOf"].as_array().expect("oneOf").len());
    assert_eq!(mapping["agentMessage"], "#/$defs/ThreadItemAgentMessage");
    for (name, def) in defs {
        let Some(discriminator) = def.get("discriminator") else { continue };
        let tag = discriminator["propertyName"].as_str().expect("a tag");
        for (value, target) in discriminator["mapping"].as_object().expect("a mapping") {
            let variant = &defs[target.as_str().unwrap().trim_start_matches("#/$defs/")];
            let own = variant.pointer(&format!("/properties/{tag}/const"));
            let inherited = variant.pointer(&format!("/allOf/1/properties/{tag}/const"));
            assert_eq!(own.or(inherited), Some(&Value::from(value.as_str())), "{name}: {value}");
        }
    }
    assert_eq!(
        defs["ClientRequest"]["discriminator"]["mapping"]["thread/start"],
        "#/$defs/ClientRequestThreadStart"
    );
    insta::assert_json_snapshot!(
        "generator-ThreadItemAgentMessage",
        defs["ThreadItemAgentMessage"]
    );
}

#[test]
fn every_wire_fixture_validates_against_its_senders_root() {
    let bundle = bundle();
    let corpus = crate::fixtures::load(&workspace_root()).expect("the corpus loads");
    let roots = [
        (app_server_protocol::Direction::ClientToServer, "ClientMessage"),
        (app_server_protocol::Direction::ServerToClient, "ServerMessage"),
    ];
    let mut checked = 0;
    for (direction, root) in roots {
        let mut schema = bundle.clone();
        schema["$ref"] = Value::from(format!("#/$defs/{root}"));
        schema.as_object_mut().unwrap().remove("anyOf");
        let validator = jsonschema::draft202012::new(&schema).expect("the bundle compiles");
        for line in corpus.files.iter().flat_map(|(_, lines)| lines).filter(|l| l.from == direction)
        {
            let errors: Vec<String> =
                validator.iter_errors(line.canonical_or_message()).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {}", line.at(), errors.join("; "));
            checked += 1;
        }
        let wrong =
            serde_json::json!({"id": 1, "method": "thread/archive", "params": {"threadId": 42}});
        assert!(
            !validator.is_valid(&wrong)
                || direction == app_server_protocol::Direction::ServerToClient
        );
    }
    assert!(checked > 400, "only {checked} lines");
}

#[test]
fn each_method_has_its_response_and_no_union_of_results_remains() {
    let bundle = bundle();
    let defs = defs(&bundle);
    let started = &defs["ServerResponseThreadStart"];
    assert_eq!(started["properties"]["result"]["$ref"], "#/$defs/ThreadStartResponse");
    let approval = &defs["ClientResponseCommandExecutionRequestApproval"];
    assert_eq!(
        approval["properties"]["result"]["$ref"],
        "#/$defs/CommandExecutionRequestApprovalResponse"
    );
    for side in ["ClientResponse", "ServerResponse"] {
        assert_eq!(defs[side]["properties"]["result"], serde_json::json!({ "type": "object" }));
    }
}

#[test]
fn open_types_stay_open_and_members_a_receiver_may_lack_are_optional() {
    let bundle = bundle();
    let defs = defs(&bundle);
    let plan = defs["PlanType"]["anyOf"].as_array().expect("anyOf");
    assert_eq!(plan[0]["$ref"], "#/$defs/KnownPlanType");
    assert_eq!(plan[1]["type"], "string");
    let item = defs["ThreadItem"]["anyOf"].as_array().expect("anyOf");
    assert_eq!(item[1]["$ref"], "#/$defs/UnknownThreadItem");
    assert_eq!(defs["UnknownThreadItem"]["required"], serde_json::json!(["type"]));
    let approval = &defs["CommandExecutionRequestApprovalParams"];
    let required = approval["required"].as_array().expect("required");
    assert!(!required.iter().any(|m| m == "command"), "{required:?}");
    assert!(required.iter().any(|m| m == "threadId"), "{required:?}");
    let text = bundle.to_string();
    assert!(!text.contains("\"uint"), "a uint format is left");
}
