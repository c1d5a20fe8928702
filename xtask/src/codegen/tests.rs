//! Tests of codegen: determinism, write/check behaviour, lints, and snapshots of
//! representative outputs (reviewed by hand when they change).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::output::{Fault, Stale, WriteSummary, write_with};
use super::{OutputFiles, check, check_files, lints, read_tree, render_all, write, write_files};
use crate::ci::workspace_root;

/// A fresh, empty folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "xtask-test-{label}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub(super) fn rendered() -> OutputFiles {
    render_all(&workspace_root()).expect("codegen renders")
}

pub(super) fn file<'a>(files: &'a OutputFiles, path: &str) -> &'a str {
    files.get(Path::new(path)).unwrap_or_else(|| panic!("{path} is not rendered"))
}

#[test]
fn two_renders_write_identical_trees() {
    let (a, b) = (TempDir::new("det-a"), TempDir::new("det-b"));
    write(&a.0.join("generated"), &rendered()).unwrap();
    write(&b.0.join("generated"), &rendered()).unwrap();
    let tree_a = read_tree(&a.0.join("generated")).unwrap();
    let tree_b = read_tree(&b.0.join("generated")).unwrap();
    assert_eq!(tree_a, tree_b);
    assert!(tree_a.len() > 100, "only {} files rendered", tree_a.len());
    for relative in &tree_a {
        let bytes_a = fs::read(a.0.join("generated").join(relative)).unwrap();
        let bytes_b = fs::read(b.0.join("generated").join(relative)).unwrap();
        assert!(bytes_a == bytes_b, "{} differs between two runs", relative.display());
        assert!(!bytes_a.contains(&b'\r'), "{} has a carriage return", relative.display());
    }
}

#[test]
fn check_reports_stale_missing_and_extra_files_and_write_repairs_them() {
    let dir = TempDir::new("check");
    let out = dir.0.join("generated");
    let files = rendered();
    let summary = write(&out, &files).unwrap();
    assert_eq!(summary, WriteSummary { written: files.len(), changed: files.len(), removed: 0 });
    assert!(check(&out, &files).unwrap().is_empty(), "a fresh tree is up to date");

    let turn = out.join("typescript/v2/Turn.d.ts");
    let original = fs::read_to_string(&turn).unwrap();
    fs::write(&turn, original.replace("error: TurnError | null", "error?: TurnError")).unwrap();
    fs::remove_file(out.join("typescript/v2/TurnStatus.d.ts")).unwrap();
    fs::write(out.join("typescript/v2/Leftover.d.ts"), "export type Leftover = string;\n").unwrap();

    let stale = check(&out, &files).unwrap();
    let kinds: Vec<&Stale> = stale.iter().map(|(kind, _)| kind).collect();
    assert_eq!(
        kinds,
        vec![
            &Stale::Changed(PathBuf::from("typescript/v2/Turn.d.ts")),
            &Stale::Missing(PathBuf::from("typescript/v2/TurnStatus.d.ts")),
            &Stale::Extra(PathBuf::from("typescript/v2/Leftover.d.ts")),
        ]
    );
    let changed_diff = &stale[0].1;
    assert!(
        changed_diff.contains("--- generated/typescript/v2/Turn.d.ts (committed)"),
        "{changed_diff}"
    );
    assert!(
        changed_diff.contains("+++ generated/typescript/v2/Turn.d.ts (generated)"),
        "{changed_diff}"
    );
    assert!(
        changed_diff.contains("-export type Turn")
            || changed_diff.contains("-  error?: TurnError")
            || changed_diff.contains("error?: TurnError"),
        "{changed_diff}"
    );
    assert!(
        changed_diff.lines().any(|l| l.starts_with('+') && l.contains("TurnError | null")),
        "{changed_diff}"
    );
    assert!(
        stale[1].1.contains("+++ generated/typescript/v2/TurnStatus.d.ts (generated)"),
        "{}",
        stale[1].1
    );
    assert_eq!(
        stale[2].0.describe("generated"),
        "  extra    generated/typescript/v2/Leftover.d.ts"
    );
    assert!(stale[2].1.contains("-export type Leftover = string;"), "{}", stale[2].1);

    let summary = write(&out, &files).unwrap();
    assert_eq!((summary.changed, summary.removed), (2, 1));
    assert!(check(&out, &files).unwrap().is_empty());
    let leftovers: Vec<_> = fs::read_dir(&dir.0).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("generated")],
        "no temporary folders are left behind"
    );
}

#[test]
fn a_failed_write_leaves_the_previous_tree_untouched() {
    let dir = TempDir::new("atomic");
    let out = dir.0.join("generated");
    let files = rendered();
    write(&out, &files).unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = read_tree(&out)
        .unwrap()
        .into_iter()
        .map(|p| (p.clone(), fs::read(out.join(&p)).unwrap()))
        .collect();

    let mut broken = files.clone();
    // A path that cannot be created (a file where a folder is needed) fails half-way through.
    broken.insert(PathBuf::from("openrpc.json/inside"), String::new());
    let err = write(&out, &broken).unwrap_err();
    assert!(err.contains("openrpc.json"), "{err}");

    let after: Vec<(PathBuf, Vec<u8>)> = read_tree(&out)
        .unwrap()
        .into_iter()
        .map(|p| (p.clone(), fs::read(out.join(&p)).unwrap()))
        .collect();
    assert!(before == after, "the previous tree changed");
    let leftovers: Vec<_> = fs::read_dir(&dir.0).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("generated")],
        "no temporary folders are left behind"
    );
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    read_tree(dir)
        .unwrap()
        .into_iter()
        .map(|p| (p.clone(), fs::read(dir.join(&p)).unwrap()))
        .collect()
}

fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    names
}

#[test]
fn a_failure_injected_anywhere_leaves_the_previous_tree_byte_identical_and_no_temporary_folder() {
    let dir = TempDir::new("inject");
    let out = dir.0.join("generated");
    let files = rendered();
    write(&out, &files).unwrap();
    let before = snapshot(&out);
    // The next render differs from what is on disk in every file, so a partial write would show.
    let next: OutputFiles =
        files.iter().map(|(p, text)| (p.clone(), format!("{text}// next\n"))).collect();
    let half = files.len() / 2;
    for fault in [
        Fault::AfterFiles(0),
        Fault::AfterFiles(1),
        Fault::AfterFiles(half),
        Fault::AfterFiles(files.len() - 1),
        Fault::DuringSwap,
    ] {
        let err = write_with(&out, &next, Some(fault)).unwrap_err();
        assert!(err.contains("injected failure"), "{fault:?}: {err}");
        assert!(snapshot(&out) == before, "{fault:?}: the previous tree changed");
        assert_eq!(
            entries(&dir.0),
            vec![std::ffi::OsString::from("generated")],
            "{fault:?}: a temporary folder is left"
        );
    }
    write(&out, &next).unwrap();
    assert!(check(&out, &next).unwrap().is_empty());
}

#[test]
fn a_read_only_target_is_refused_with_a_clear_error_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("readonly");
    let out = dir.0.join("generated");
    let mut files = OutputFiles::new();
    files.insert(PathBuf::from("a.ts"), "export type A = string;\n".to_owned());
    files.insert(PathBuf::from("schema/b.json"), "{}\n".to_owned());
    write(&out, &files).unwrap();
    let before = snapshot(&out);
    let changed: OutputFiles = files.keys().map(|p| (p.clone(), "changed\n".to_owned())).collect();
    // Tests run as root, for whom permission bits do not stop writes: the writer checks them.
    for locked in [out.clone(), out.join("schema"), dir.0.clone()] {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
        let err = write(&out, &changed).unwrap_err();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        let expected = format!(
            "cannot write {}: {} is read-only; make it writable (chmod u+w) or write elsewhere with --out DIR",
            out.display(),
            locked.display()
        );
        assert_eq!(err, expected);
        assert!(snapshot(&out) == before, "the tree changed");
        assert_eq!(entries(&dir.0), vec![std::ffi::OsString::from("generated")]);
    }
    // A file where the target or its parent folder should be.
    let blocker = dir.0.join("not-a-folder");
    fs::write(&blocker, "x").unwrap();
    let err = write(&blocker.join("generated"), &files).unwrap_err();
    assert_eq!(
        err,
        format!(
            "cannot write {}: {} is a file, not a folder",
            blocker.join("generated").display(),
            blocker.display()
        )
    );
    let err = write(&blocker, &files).unwrap_err();
    assert_eq!(
        err,
        format!(
            "cannot write {}: {} is a file, not a folder",
            blocker.display(),
            blocker.display()
        )
    );
    assert_eq!(fs::read(&blocker).unwrap(), b"x");
}

#[test]
fn temporary_folders_of_a_killed_run_are_removed_by_the_next_write() {
    let dir = TempDir::new("leftovers");
    let out = dir.0.join("generated");
    // PIDs above Linux's maximum (4194304) never run.
    for leftover in [".generated.new-9999991", ".generated.old-9999992"] {
        fs::create_dir_all(dir.0.join(leftover).join("typescript")).unwrap();
        fs::write(dir.0.join(leftover).join("typescript/half.ts"), "export type").unwrap();
    }
    fs::create_dir_all(dir.0.join(".other.new-9999993")).unwrap();
    let mut files = OutputFiles::new();
    files.insert(PathBuf::from("a.ts"), "export type A = string;\n".to_owned());
    write(&out, &files).unwrap();
    assert_eq!(
        entries(&dir.0),
        vec![std::ffi::OsString::from(".other.new-9999993"), std::ffi::OsString::from("generated")]
    );
}

#[test]
fn every_typescript_file_has_the_generated_header_and_no_bigint() {
    let files = rendered();
    for (path, text) in files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "ts")) {
        assert!(text.starts_with(super::GENERATED_HEADER), "{} lacks the header", path.display());
        assert!(!text.contains("bigint"), "{} mentions bigint", path.display());
        // A relative import names its `.js`; Node's own modules (`node:…`, the `/node` entry) none.
        for line in text.lines().filter(|l| l.starts_with("import ") && !l.contains("from \"node:"))
        {
            assert!(
                line.contains(".js\";"),
                "{}: import without .js extension: {line}",
                path.display()
            );
        }
    }
}

#[test]
fn the_bigint_lint_names_file_and_line() {
    let mut files = OutputFiles::new();
    files.insert(
        PathBuf::from("typescript/v2/Bad.ts"),
        "// header\nexport type Bad = { n: bigint };\n".to_owned(),
    );
    let surface_files = files;
    let findings = lints::bigint_findings(&surface_files);
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].starts_with("generated/typescript/v2/Bad.ts:2: `bigint`"),
        "{}",
        findings[0]
    );
}

#[test]
fn the_rustdoc_link_lint_names_file_and_line_and_the_render_has_none() {
    let mut files = OutputFiles::new();
    files.insert(
        PathBuf::from("docs/API.md"),
        "# API\nSee [`thread/list`](#threadlist) and [`ThreadListParams`].\n".to_owned(),
    );
    let findings = lints::rustdoc_link_findings(&files);
    assert_eq!(
        findings,
        vec!["generated/docs/API.md:2: rustdoc link `[`ThreadListParams`]` in the output: docs must reach every renderer through `plain_docs`".to_owned()]
    );
    let rendered = rendered();
    assert!(lints::rustdoc_link_findings(&rendered).is_empty());
    let thread_list = file(&rendered, "typescript/v2/ThreadListResponse.d.ts");
    assert!(thread_list.contains("(see `ThreadListParams`)"), "{thread_list}");
}

#[test]
fn the_schema_lints_catch_snake_case_numbered_twins_and_optional_outputs() {
    let defs = json!({
        "v2.Good": { "type": "object", "properties": { "threadId": { "type": "string" } }, "required": ["threadId"] },
        "v2.Snake": { "type": "object", "properties": { "thread_id": { "type": "string" } }, "required": ["thread_id"] },
        "v2.PatchChangeKind": { "oneOf": [{ "type": "object", "properties": { "move_path": { "type": ["string", "null"] }, "type": { "const": "update" } }, "required": ["type", "move_path"] }] },
        "v2.Optional": { "type": "object", "properties": { "error": { "anyOf": [{ "$ref": "#/$defs/X" }, { "type": "null" }] } } },
        "SandboxPolicy": { "type": "string" },
        "SandboxPolicy2": { "type": "string" },
    });
    let defs = defs.as_object().unwrap();
    let findings = lints::schema_findings(defs, true);
    assert_eq!(findings.len(), 3, "{findings:#?}");
    assert!(
        findings.iter().any(|f| f.contains("snake_case key `thread_id` in v2 type `v2.Snake`")),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f.contains("two types are named `SandboxPolicy`")),
        "{findings:#?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.contains("`v2.Optional` leaves nullable field `error` out of `required`")),
        "{findings:#?}"
    );
    assert!(
        lints::schema_findings(defs, false).len() == 2,
        "input contracts may leave optional fields out"
    );
}

#[test]
fn schema_bundles_pass_the_2020_12_meta_schema() {
    let files = rendered();
    for name in ["schema/server-receives.schema.json", "schema/server-sends.schema.json"] {
        let bundle: Value = serde_json::from_str(file(&files, name)).unwrap();
        assert_eq!(bundle["$schema"], json!("https://json-schema.org/draft/2020-12/schema"));
        assert!(bundle["$id"].as_str().unwrap().starts_with("urn:app-server-protocol:"));
        jsonschema::meta::validate(&bundle).unwrap_or_else(|err| panic!("{name}: {err}"));
        jsonschema::draft202012::new(&bundle)
            .unwrap_or_else(|err| panic!("{name} does not compile: {err}"));
    }
}

#[test]
fn snapshot_turn() {
    insta::assert_snapshot!("Turn.ts", file(&rendered(), "typescript/v2/Turn.d.ts"));
}

#[test]
fn snapshot_error_notification() {
    insta::assert_snapshot!(
        "ErrorNotification.ts",
        file(&rendered(), "typescript/v2/ErrorNotification.d.ts")
    );
}

#[test]
fn snapshot_command_execution_approval_decision() {
    let files = rendered();
    insta::assert_snapshot!(
        "CommandExecutionApprovalDecision.ts",
        file(&files, "typescript/v2/CommandExecutionApprovalDecision.d.ts")
    );
    let bundle: Value =
        serde_json::from_str(file(&files, "schema/server-receives.schema.json")).unwrap();
    insta::assert_json_snapshot!(
        "CommandExecutionApprovalDecision.schema",
        bundle["$defs"]["v2.CommandExecutionApprovalDecision"]
    );
}

#[test]
fn snapshot_method_maps() {
    let files = rendered();
    let methods = file(&files, "typescript/methods.d.ts");
    let maps: String = ["ServerRequestMethods", "ClientNotificationMethods"]
        .iter()
        .map(|name| {
            let start = methods
                .find(&format!("export type {name} = {{"))
                .unwrap_or_else(|| panic!("no {name}"));
            let end = start + methods[start..].find("\n};\n").expect("map ends") + 4;
            methods[start..end].to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("method-maps.ts", maps);
    for line in [
        "  \"thread/list\": { params: ThreadListParams; result: ThreadListResponse };",
        "  \"account/logout\": { params: undefined; result: LogoutAccountResponse };",
        "  \"turn/diff/updated\": { params: TurnDiffUpdatedNotification };",
    ] {
        assert!(methods.contains(line), "methods.ts lacks {line:?}");
    }
}

#[test]
fn snapshot_openrpc_method_entry() {
    let files = rendered();
    let document: Value = serde_json::from_str(file(&files, "openrpc.json")).unwrap();
    let mut entry = document["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "mcpServerStatus/list")
        .unwrap()
        .clone();
    // Examples come from the fixtures and change with them; the fixture check covers them.
    let examples = entry.as_object_mut().unwrap().remove("examples");
    if let Some(examples) = examples {
        assert!(
            examples[0]["description"]
                .as_str()
                .unwrap()
                .starts_with("From fixtures/v2/mcpServerStatus/list/"),
            "{examples}"
        );
    }
    insta::assert_json_snapshot!("openrpc-mcpServerStatus-list", entry);
}

#[test]
fn files_outside_generated_go_through_the_same_check_and_write() {
    let dir = TempDir::new("outside");
    let mut files = OutputFiles::new();
    files.insert(PathBuf::from("crate/embedded.json"), "{\"a\": 1}\n".to_owned());
    files.insert(PathBuf::from("compat/report.md"), "# Report\n".to_owned());
    fs::create_dir_all(dir.0.join("crate")).unwrap();
    fs::create_dir_all(dir.0.join("compat")).unwrap();
    fs::write(dir.0.join("crate/embedded.json"), "{\"a\": 0}\n").unwrap();

    let stale = check_files(&dir.0, &files).unwrap();
    let kinds: Vec<&Stale> = stale.iter().map(|(kind, _)| kind).collect();
    assert_eq!(
        kinds,
        vec![
            &Stale::Missing(PathBuf::from("compat/report.md")),
            &Stale::Changed(PathBuf::from("crate/embedded.json")),
        ]
    );
    assert!(stale[1].1.contains("--- crate/embedded.json (committed)"), "{}", stale[1].1);
    assert!(
        stale[1].1.contains("-{\"a\": 0}") && stale[1].1.contains("+{\"a\": 1}"),
        "{}",
        stale[1].1
    );
    assert_eq!(stale[0].0.describe(""), "  missing  compat/report.md");

    assert_eq!(write_files(&dir.0, &files).unwrap(), 2);
    assert!(check_files(&dir.0, &files).unwrap().is_empty());
    assert_eq!(write_files(&dir.0, &files).unwrap(), 0, "files already right are not touched");
    let leftovers: Vec<_> = fs::read_dir(dir.0.join("crate")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no staging file left behind");
}
