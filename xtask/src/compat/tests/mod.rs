//! Tests of `cargo xtask compat`. The mutation pairs are small before/after schemas (not the
//! real protocol), one per rule, each with the exact verdict, kind and place it must
//! produce: `pairs` (fields, values, variants, types, structure), `bounds` (ranges,
//! lengths, formats, patterns), `table` (the method table, v1 frozen, stability, a change
//! reported once with every path). This module has the harness and the tests of the pieces
//! around the comparison (allow file, baseline files, importer, exit codes, the committed
//! report).

mod bounds;
mod forward;
mod pairs;
mod table;

use app_server_protocol::Direction::{self, ServerToClient};
use app_server_protocol::MessageKind;
use serde_json::{Map, Value, json};

use super::baseline::{Baseline, MethodEntry};
use super::rules::{Kind, Verdict};
use super::{Change, Status, allow, methods};

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

/// A surface with one notification sent in `direction` whose params are `Root`.
fn surface(direction: Direction, definitions: Value) -> Baseline {
    let mut surface = Baseline {
        version: "1.0.0".to_owned(),
        source: "test".to_owned(),
        methods: vec![entry(METHOD, direction, MessageKind::Notification, Some("Root"), None)],
        client_to_server: Map::new(),
        server_to_client: Map::new(),
    };
    *surface.defs_mut(direction) = defs(definitions);
    surface
}

/// The changes between two one-method surfaces of `direction`.
fn diff(direction: Direction, before: Value, after: Value) -> Vec<Change> {
    methods::compare(&surface(direction, before), &surface(direction, after))
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
fn the_same_surface_has_no_changes_in_either_direction() {
    let root = json!({ "Root": object(json!({ "a": { "type": "string" }, "b": nullable(reference("E")) }), &["a"]), "E": string_enum(&["x", "y"]) });
    for direction in Direction::ALL {
        assert_eq!(diff(direction, root.clone(), root.clone()), Vec::<Change>::new());
    }
}

#[test]
fn the_allow_file_accepts_listed_breaks_gives_safe_changes_their_reason_and_reports_stale_entries()
{
    let before = json!({ "Root": object(json!({ "a": { "type": "string" }, "b": { "type": "string" } }), &["a", "b"]) });
    let after = json!({ "Root": object(json!({ "a": { "type": "string" } , "c": { "type": "string" } }), &["a"]) });
    let mut changes = diff(ServerToClient, before, after);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    let entries = allow::parse(
        "[[accept]]\nkind = \"field-removed\"\nat = \"Root → b\"\ndirection = \"serverToClient\"\nreason = \"C0: gone\"\n\n\
         [[accept]]\nbaseline = \"1.0.0\"\nkind = \"field-added\"\nat = \"Root → c\"\nreason = \"C0: new\"\n\n\
         [[accept]]\nkind = \"field-added\"\nat = \"Root → c\"\nreason = \"listed twice\"\n\n\
         [[accept]]\nkind = \"field-added\"\nat = \"Root → d\"\nreason = \"never happens\"\n\n\
         [[accept]]\nbaseline = \"9.9.9\"\nkind = \"field-added\"\nat = \"Root → d\"\nreason = \"another baseline\"\n",
    )
    .unwrap();
    let stale = allow::apply(&entries, "1.0.0", &mut changes);
    let removed = find(&changes, Kind::FieldRemoved, "Root → b");
    assert_eq!((removed.verdict, removed.reason.as_deref()), (Verdict::Accepted, Some("C0: gone")));
    let added = find(&changes, Kind::FieldAdded, "Root → c");
    assert_eq!((added.verdict, added.reason.as_deref()), (Verdict::Safe, Some("C0: new")));
    let lines: Vec<usize> = stale.iter().map(|e| e.line).collect();
    assert_eq!(lines, [13, 18], "the duplicate and the entry that matches nothing: {stale:?}");
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
            "[[accept]]\nkind = \"field-added\"\nat = \"x\"\nreason = \"r\"\ndirection = \"input\"\n",
            "5: `direction` is `input`: expected `clientToServer` or `serverToClient`",
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
        ServerToClient,
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

    let sends = dir.join(super::baseline::SENDS_FILE);
    let text = std::fs::read_to_string(&sends).unwrap();
    std::fs::write(&sends, text.replace("#/$defs/E", "#/$defs/Missing")).unwrap();
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
    let text = super::report::text(&outcome);
    let committed =
        std::fs::read_to_string(root.join(format!("compat/report-{version}.md"))).unwrap();
    assert!(
        committed == text,
        "compat/report-{version}.md is stale: run `cargo xtask compat --baseline {version} --write-report`\n{}",
        similar::TextDiff::from_lines(&committed, &text).unified_diff()
    );
    assert_eq!(outcome.status(false), Status::Pass, "{}", outcome.summary(false));
}

#[test]
fn the_exit_code_is_0_on_a_pass_1_on_a_failure_or_stale_file_2_when_the_check_cannot_run() {
    assert_eq!(Status::of(0, 0, false).code(), 0);
    assert_eq!(Status::of(1, 0, false).code(), 1, "an unaccepted breaking or unknown change");
    assert_eq!(Status::of(0, 1, false).code(), 1, "a stale allow entry");
    assert_eq!(Status::of(0, 0, true).code(), 1, "a stale committed report");
    assert_eq!(Status::of_run(&Err("no baseline".to_owned())).code(), 2);
    assert_eq!(Status::of_run(&Ok(Status::Fail)).code(), 1);

    let root = crate::ci::workspace_root();
    let missing = std::env::temp_dir().join(format!("compat-missing-{}", std::process::id()));
    let args =
        super::Args { baseline: Some(missing.display().to_string()), ..super::Args::default() };
    let run = super::run(&args, &root);
    assert_eq!(Status::of_run(&run), Status::CouldNotRun, "{:?}", run);
    assert!(run.unwrap_err().contains("no baseline"));
    let err = super::check(&root, &missing, "missing").err().expect("no baseline there");
    assert!(err.contains("methods.json"), "{err}");
    let json = super::report::json_error(&err);
    assert_eq!(json["summary"]["exitCode"], 2);
}

#[test]
fn the_markdown_report_shows_eight_paths_and_the_reason_while_json_carries_every_path() {
    let paths: Vec<String> = (1..=10).map(|n| format!("m{n} → params → e")).collect();
    let change = Change {
        kind: Kind::ValueAdded,
        direction: ServerToClient,
        verdict: Verdict::Safe,
        at: "E".to_owned(),
        paths: paths.clone(),
        detail: "value `x` added".to_owned(),
        reason: Some("C0: why".to_owned()),
    };
    let outcome = super::Outcome {
        version: "1.0.0".to_owned(),
        source: "test".to_owned(),
        dir: "test".to_owned(),
        changes: vec![change],
        stale: Vec::new(),
    };
    let text = super::report::text(&outcome);
    let shown =
        "- `value-added` (server → client) `E`: value `x` added\n  - via `m1 → params → e`\n";
    assert!(text.contains(shown), "{text}");
    assert!(
        text.contains("  - via `m8 → params → e`\n  - and 2 more\n  - reason: C0: why\n"),
        "{text}"
    );
    assert!(!text.contains("m9"), "{text}");
    let json = super::report::json(&outcome, false);
    assert_eq!(json["changes"][0]["paths"], json!(paths));
    assert_eq!(json["changes"][0]["direction"], "serverToClient");
    assert_eq!(json["summary"]["withReason"], 1);
    assert_eq!(json["summary"]["exitCode"], 0);
}

#[test]
fn the_json_report_starts_with_its_summary() {
    let outcome = super::Outcome {
        version: "1.0.0".to_owned(),
        source: "test".to_owned(),
        dir: "test".to_owned(),
        changes: Vec::new(),
        stale: Vec::new(),
    };
    let text = super::report::json_text(&super::report::json(&outcome, false));
    assert!(text.starts_with("{\n  \"summary\": {\n"), "{text}");
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value, super::report::json(&outcome, false));
}
