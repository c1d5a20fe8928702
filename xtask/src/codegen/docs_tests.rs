//! Tests of the API reference and the README's example: what they say is what the method
//! table, the fixtures and the compiled TypeScript say.

use std::fs;

use super::tests::{file, rendered};
use crate::ci::workspace_root;

#[test]
fn every_error_a_fixture_answers_with_is_listed_for_its_method() {
    let root = workspace_root();
    let surface = super::collect().unwrap();
    let corpus = crate::fixtures::load(&root).unwrap();
    let mut checked = 0;
    for (_, lines) in &corpus.files {
        for line in lines.iter().filter(|l| l.message.get("error").is_some()) {
            let id = &line.message["id"];
            let request = lines
                .iter()
                .find(|l| l.message.get("method").is_some() && &l.message["id"] == id)
                .unwrap_or_else(|| panic!("{}: no request with this id", line.at()));
            let name = request.message["method"].as_str().unwrap();
            let method = surface
                .methods
                .iter()
                .find(|m| m.meta.answers_to(name))
                .unwrap_or_else(|| panic!("{}: unknown method {name}", line.at()));
            let code = line.message["error"]["code"].as_i64().unwrap();
            let listed = super::errors::errors_of(method, &surface.canonical_defs);
            assert!(
                listed.iter().any(|e| e.code == code),
                "{}: `{name}` answers {code}, which API.md does not list for it",
                line.at()
            );
            checked += 1;
        }
    }
    // 15 since the `limit: 0` exchanges became invalid fixtures (the decoder refuses them).
    assert!(checked >= 15, "only {checked} error responses in the fixtures");
}

#[test]
fn the_lifecycle_names_only_methods_of_the_table_and_every_column_has_a_label() {
    let files = rendered();
    let api = file(&files, "docs/API.md");
    let lifecycle = &api[api.find("## Lifecycle").unwrap()..api.find("## Methods").unwrap()];
    // A method, or a method family by its pattern (`codex/event/{type}`); an example of what a
    // newer server sends is named as such.
    let newer = ["thread/tokenUsage/updated"];
    for span in lifecycle.split('`').skip(1).step_by(2).filter(|s| s.contains('/')) {
        assert!(
            app_server_protocol::all_methods()
                .any(|m| m.wire_name == span || m.display_name() == span)
                || newer.contains(&span),
            "the lifecycle names `{span}`, which is no method"
        );
    }
    for span in newer {
        assert_eq!(app_server_protocol::sender_of(span), None, "`{span}` is a method now");
    }
    for (number, line) in api.lines().enumerate().filter(|(_, l)| l.starts_with('|')) {
        if api.lines().nth(number + 1).is_some_and(|next| next.starts_with("|---")) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert!(
                cells.iter().all(|c| !c.is_empty()),
                "docs/API.md:{}: a table column without a label: {line}",
                number + 1
            );
        }
    }
}

#[test]
fn api_tables_list_required_members_first_and_what_a_client_may_leave_out() {
    let files = rendered();
    let api = file(&files, "docs/API.md");
    let section = |heading: &str| {
        let start = api.find(heading).unwrap_or_else(|| panic!("no {heading}"));
        let end = start + api[start + 1..].find("\n### ").unwrap();
        &api[start..end]
    };
    let review = section("### `review/start`");
    let thread_id = review.find("| `threadId` | string | required |").unwrap();
    let append = review.find("| `appendToOriginalThread` | boolean | optional |").unwrap();
    assert!(thread_id < append, "{review}");
    let new_conversation = section("### `newConversation`");
    let new_conversation = &new_conversation[..new_conversation.find("**Result:**").unwrap()];
    assert!(
        new_conversation.contains("| `model` | string \\| null | optional |"),
        "{new_conversation}"
    );
    assert!(!new_conversation.contains("| required |"), "{new_conversation}");
    let sandbox = section("### v2.SandboxPolicy\n");
    assert!(
        sandbox.contains("| `writableRoots` | string[] | required; optional on input |"),
        "{sandbox}"
    );
}

#[test]
fn the_readme_points_to_the_reference_client_that_ci_compiles_and_runs() {
    let root = workspace_root();
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let client = "examples/typescript-client/client.ts";
    assert!(readme.contains(&format!("]({client})")), "README.md does not link {client}");
    assert!(
        !readme.contains("```ts\n"),
        "README.md points to the reference client, not a fragment"
    );
    assert!(root.join(client).is_file(), "{client} is missing");
    let config = fs::read_to_string(root.join("tools/ts-check/tsconfig.example.json")).unwrap();
    assert!(
        config.contains(&format!("\"../../{client}\"")),
        "tsconfig.example.json does not compile {client}"
    );
    let test = fs::read_to_string(root.join("tools/ts-check/test/example.test.mjs")).unwrap();
    assert!(test.contains(".example/client.js"), "no test runs the reference client");
}
