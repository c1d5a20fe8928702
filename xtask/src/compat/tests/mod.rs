//! Tests of `cargo xtask compat`. `pairs` holds the mutation pairs: small before/after
//! schemas (not the real protocol), one per rule, each with the exact verdict, kind and place
//! it must produce. This module has the harness and the tests of the pieces around the
//! comparison (allow file, baseline files, importer, the committed report).

mod pairs;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value, json};

use super::baseline::{Baseline, MethodEntry};
use super::rules::{Flow, Kind, Verdict};
use super::{Change, allow, methods};

/// The method every pair's root type hangs off.
const METHOD: &str = "test/method";

/// A method entry of `direction`; `params`/`result` name a definition.
fn entry(
    name: &str,
    direction: Direction,
    kind: MessageKind,
    params: Option<&str>,
    result: Option<&str>,
) -> MethodEntry {
    let schema = |name: Option<&str>| name.map(|n| json!({ "$ref": format!("#/$defs/{n}") }));
    MethodEntry {
        name: name.to_owned(),
        direction,
        kind,
        api: "v2".to_owned(),
        stability: "stable".to_owned(),
        aliases: Vec::new(),
        deprecated: None,
        params_type: params.map(str::to_owned),
        result_type: result.map(str::to_owned),
        params: schema(params),
        result: schema(result),
    }
}

fn defs(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("definitions are an object")
}

/// A surface with one notification whose params are `Root`, in `flow`: a client → server
/// notification for input, server → client for output.
fn surface(flow: Flow, definitions: Value) -> Baseline {
    let direction = match flow {
        Flow::Input => Direction::ClientToServer,
        Flow::Output => Direction::ServerToClient,
    };
    let (input, output) = match flow {
        Flow::Input => (defs(definitions), Map::new()),
        Flow::Output => (Map::new(), defs(definitions)),
    };
    Baseline {
        version: "1.0.0".to_owned(),
        source: "test".to_owned(),
        methods: vec![entry(METHOD, direction, MessageKind::Notification, Some("Root"), None)],
        input,
        output,
    }
}

/// The changes between two one-method surfaces of `flow`.
fn diff(flow: Flow, before: Value, after: Value) -> Vec<Change> {
    methods::compare(&surface(flow, before), &surface(flow, after))
}

/// The one change there must be: its kind, verdict and `at`.
#[track_caller]
fn only(changes: &[Change], kind: Kind, verdict: Verdict, at: &str) -> Change {
    assert_eq!(changes.len(), 1, "expected exactly one change, got: {changes:#?}");
    let change = changes[0].clone();
    assert_eq!(
        (change.kind, change.verdict, change.at.as_str()),
        (kind, verdict, at),
        "{change:#?}"
    );
    change
}

/// The change of `kind` at `at`, which must exist.
#[track_caller]
fn find<'c>(changes: &'c [Change], kind: Kind, at: &str) -> &'c Change {
    changes
        .iter()
        .find(|c| c.kind == kind && c.at == at)
        .unwrap_or_else(|| panic!("no {kind} at `{at}` in {changes:#?}"))
}

/// `{ type: object, properties, required }`.
fn object(properties: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "properties": properties, "required": required })
}

/// `T | null` the way schemars writes an `Option` of a reference.
fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

fn string_enum(values: &[&str]) -> Value {
    json!({ "oneOf": values.iter().map(|v| json!({ "const": v, "type": "string" })).collect::<Vec<_>>() })
}

#[test]
fn the_same_surface_has_no_changes_in_either_flow() {
    let root = json!({ "Root": object(json!({ "a": { "type": "string" }, "b": nullable(reference("E")) }), &["a"]), "E": string_enum(&["x", "y"]) });
    for flow in [Flow::Input, Flow::Output] {
        assert_eq!(diff(flow, root.clone(), root.clone()), Vec::<Change>::new());
    }
}

#[test]
fn the_allow_file_accepts_listed_breaks_and_reports_unused_entries() {
    let before = json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a", "b"]) });
    let after = json!({ "Root": object(json!({ "a": { "type": "string" } }), &["a"]) });
    let mut changes = diff(Flow::Output, before, after);
    let entries = allow::parse(
        "[[accept]]\nkind = \"field-removed\"\nat = \"Root → b\"\nflow = \"output\"\nreason = \"C0: gone\"\n\n\
         [[accept]]\nbaseline = \"1.0.0\"\nkind = \"field-added\"\nat = \"Root → c\"\nreason = \"never happens\"\n\n\
         [[accept]]\nbaseline = \"9.9.9\"\nkind = \"field-added\"\nat = \"Root → c\"\nreason = \"another baseline\"\n",
    )
    .unwrap();
    let unused = allow::apply(&entries, "1.0.0", &mut changes);
    assert_eq!(changes[0].verdict, Verdict::Accepted);
    assert_eq!(changes[0].reason.as_deref(), Some("C0: gone"));
    assert_eq!(unused.len(), 1, "{unused:?}");
    assert_eq!(unused[0].line, 7);
}

#[test]
fn a_bad_allow_file_is_a_clear_error_with_its_line() {
    let cases = [
        (
            "[[accept]]\nkind = \"field-removed\"\nat = \"Root → b\"\n",
            "1: [[accept]] has no `reason`",
        ),
        (
            "[[accept]]\nkind = \"field-gone\"\nat = \"x\"\nreason = \"r\"\n",
            "2: unknown kind `field-gone`",
        ),
        (
            "[[accept]]\nkind = \"field-added\"\nat = \"x\"\nreason = \" \"\n",
            "4: `reason` is empty",
        ),
        (
            "[[accept]]\nkind = \"field-added\"\nat = \"x\"\nreason = \"r\"\nwhy = \"r\"\n",
            "1: unknown key `why`",
        ),
        (
            "[[accept]]\nkind = \"field-added\"\nat = \"x\"\nreason = \"r\"\nflow = \"sideways\"\n",
            "5: `flow` is `sideways`",
        ),
        ("[[accept]]\nkind = 3\nat = \"x\"\nreason = \"r\"\n", "2: `kind` must be a string"),
        ("accept = 1\n", "1: `accept` must be an array of tables"),
        ("[other]\n", "1: unknown key `other`"),
        ("[[accept]\n", "TOML parse error at line 1"),
    ];
    for (text, expected) in cases {
        let err = allow::parse(text).unwrap_err();
        assert!(err.contains(expected), "{text:?}: expected {expected:?} in {err:?}");
    }
}

#[test]
fn a_baseline_round_trips_through_its_files_and_bad_files_name_file_and_path() {
    let dir = std::env::temp_dir().join(format!("compat-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut baseline = surface(
        Flow::Output,
        json!({ "Root": object(json!({ "e": reference("E") }), &["e"]), "E": string_enum(&["x"]) }),
    );
    baseline.prune();
    baseline.write(&dir).unwrap();
    assert_eq!(Baseline::read(&dir).unwrap(), baseline);

    let methods = dir.join(super::baseline::METHODS_FILE);
    let original = std::fs::read_to_string(&methods).unwrap();
    std::fs::write(&methods, original.replace("\"serverToClient\"", "\"sideways\"")).unwrap();
    let err = Baseline::read(&dir).unwrap_err();
    assert!(err.contains("methods.json: `methods[0].direction`: `sideways`"), "{err}");
    std::fs::write(&methods, "{ not json").unwrap();
    assert!(Baseline::read(&dir).unwrap_err().contains("methods.json: not JSON"));
    std::fs::write(&methods, &original).unwrap();

    let output = dir.join(super::baseline::OUTPUT_FILE);
    let text = std::fs::read_to_string(&output).unwrap();
    std::fs::write(&output, text.replace("#/$defs/E", "#/$defs/Missing")).unwrap();
    let err = Baseline::read(&dir).unwrap_err();
    assert!(err.contains("server-sends.schema.json: `$defs.Root.properties.e.$ref`: `#/$defs/Missing` names no definition"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn versions_order_by_their_numbers() {
    let mut versions = vec!["0.10.0", "0.9.1", "0.63.0", "1.0.0", "0.64.0"];
    versions.sort_by_key(|v| super::version_key(v));
    assert_eq!(versions, ["0.9.1", "0.10.0", "0.63.0", "0.64.0", "1.0.0"]);
    assert!(super::is_version("0.64.0") && !super::is_version("../x") && !super::is_version(""));
}

#[test]
fn the_committed_0_63_0_baseline_is_what_the_importer_makes_of_the_spec() {
    let root = crate::ci::workspace_root();
    let spec = root.join("compat/baselines/0.63.0/published");
    let committed = Baseline::read(&root.join(super::BASELINES).join("0.63.0")).unwrap();
    let imported = super::import::import(&spec, "0.63.0", &committed.source).unwrap();
    assert!(
        imported == committed,
        "compat/baselines/0.63.0 is not what `cargo xtask compat snapshot 0.63.0 --from {}` writes",
        spec.display()
    );
}

#[test]
fn the_committed_report_is_what_the_command_prints_now() {
    let root = crate::ci::workspace_root();
    let version = super::newest(&root).unwrap();
    let dir = root.join(super::BASELINES).join(&version);
    let outcome = super::check(&root, &dir, &format!("{}/{version}", super::BASELINES)).unwrap();
    let committed =
        std::fs::read_to_string(root.join(format!("compat/report-{version}.md"))).unwrap();
    assert!(
        committed == outcome.text,
        "compat/report-{version}.md is stale: run `cargo xtask compat --baseline {version} --write-report`\n{}",
        similar::TextDiff::from_lines(&committed, &outcome.text).unified_diff()
    );
}
