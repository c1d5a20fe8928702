//! Tests of the Python package's rendering: names as in TypeScript, one method-map entry per
//! row of the method table, the header and version, and a representative class.

use std::collections::BTreeMap;

use crate::codegen::collect;
use crate::codegen::tests::{file, rendered};

const PACKAGE: &str = "python/src/app_server_protocol";

#[test]
fn every_typescript_declaration_has_a_python_model_of_the_same_name() {
    let files = rendered();
    let surface = collect().expect("collects");
    let modules = BTreeMap::from([
        ("types", file(&files, &format!("{PACKAGE}/types.py"))),
        ("v2", file(&files, &format!("{PACKAGE}/v2.py"))),
    ]);
    let mut checked = 0;
    for (path, decl) in &surface.ts_decls {
        if decl.name.ends_with(crate::codegen::input_types::INPUT_SUFFIX) {
            continue; // Input twins: one Python model carries both contracts.
        }
        if decl.name == "JsonValue" {
            continue; // pydantic's `JsonValue`, exported by the package as it is.
        }
        let module = if path.starts_with("v2") { "v2" } else { "types" };
        let text = modules[module];
        let declared = text.contains(&format!("\nclass {}(", decl.name))
            || text.contains(&format!("\n{}: TypeAlias = ", decl.name));
        // ts-rs may name a generic instance differently from schemars; those are aliases too.
        assert!(
            declared || decl.name.contains('<'),
            "`{}` ({}) has no Python model in {module}.py",
            decl.name,
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 250, "only {checked} declarations");
}

#[test]
fn method_maps_have_one_entry_per_row_of_the_method_table() {
    let files = rendered();
    let surface = collect().expect("collects");
    let text = file(&files, &format!("{PACKAGE}/methods.py"));
    assert_eq!(text.matches("MethodSpec(\n").count(), surface.methods.len());
    for method in &surface.methods {
        let entry = format!("    {}: MethodSpec(", serde_json::Value::from(method.meta.wire_name));
        let at =
            text.find(&entry).unwrap_or_else(|| panic!("no entry for {}", method.meta.wire_name));
        let body = &text[at..at + text[at..].find("\n    ),").expect("an entry ends")];
        assert_eq!(
            body.contains("deprecated=None"),
            method.meta.deprecated.is_none(),
            "{}",
            method.meta.wire_name
        );
    }
}

#[test]
fn every_python_file_has_the_header_and_the_package_has_the_crate_version() {
    let files = rendered();
    for (path, text) in files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "py")) {
        assert!(text.starts_with(super::render::HEADER), "{} has no header", path.display());
    }
    let version = format!("version = \"{}\"", app_server_protocol::VERSION);
    assert!(file(&files, "python/pyproject.toml").contains(&version));
    let init = file(&files, &format!("{PACKAGE}/__init__.py"));
    assert!(init.contains(&format!("__version__ = \"{}\"", app_server_protocol::VERSION)));
    assert!(files.contains_key(std::path::Path::new(&format!("{PACKAGE}/py.typed"))));
}

#[test]
fn a_rule_for_a_class_that_is_not_generated_is_an_error() {
    let mut modules = BTreeMap::new();
    let err = super::leniency::apply(&mut modules).unwrap_err();
    assert!(err.contains("no class"), "{err}");
}

#[test]
fn snapshot_python_turn_completed_and_approval_response() {
    let files = rendered();
    let text = file(&files, &format!("{PACKAGE}/v2.py"));
    let block = |start: &str| {
        let at = text.find(start).unwrap_or_else(|| panic!("{start} is not rendered"));
        let end = text[at + 1..].find("\n\n\n").map_or(text.len(), |e| at + 1 + e);
        text[at..end].to_owned()
    };
    let shown = [
        block("class TurnCompletedNotification("),
        block("class CommandExecutionRequestApprovalResponse("),
        block("class CommandExecutionRequestApprovalParams("),
    ]
    .join("\n\n");
    insta::assert_snapshot!("python-approval-and-turn-completed", shown);
}

/// A `%name%` left in a text: a segment between two `%` that is a placeholder's name.
fn placeholder(text: &str) -> Option<&str> {
    let parts: Vec<&str> = text.split('%').collect();
    let middle = parts.get(1..parts.len().saturating_sub(1)).unwrap_or_default();
    middle
        .iter()
        .copied()
        .find(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

#[test]
fn every_template_placeholder_is_filled() {
    let files = rendered();
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("python")) {
        if let Some(word) = placeholder(text) {
            panic!("{} keeps the placeholder `%{word}%`", path.display());
        }
    }
    assert_eq!(placeholder("a %version% b"), Some("version"));
}

#[test]
fn the_client_has_one_overload_per_request_and_a_typed_handler_per_server_request() {
    let files = rendered();
    let surface = collect().expect("collects");
    let text = file(&files, &format!("{PACKAGE}/_calls.py"));
    for method in surface.methods.iter().filter(|m| m.meta.family.is_none()) {
        let wire = serde_json::Value::from(method.meta.wire_name).to_string();
        let function = match (method.meta.direction, method.meta.kind) {
            (
                app_server_protocol::Direction::ClientToServer,
                app_server_protocol::MessageKind::Request,
            ) => "request",
            (app_server_protocol::Direction::ClientToServer, _) => "notify",
            (_, app_server_protocol::MessageKind::Request) => "on_request",
            _ => continue,
        };
        assert!(
            text.contains(&format!("def {function}(self, method: Literal[{wire}]")),
            "no `{function}` for {wire}"
        );
    }
    assert!(text.contains(
        "async def request(self, method: Literal[\"thread/start\"], params: _v2.ThreadStartParams, *, timeout: float | None = None) -> _v2.ThreadStartResponse:"
    ));
}
