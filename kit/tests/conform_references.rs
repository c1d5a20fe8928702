//! Every check names the section of the contract it enforces; each reference must resolve to
//! a heading of that file in this repository, as a Markdown renderer makes its anchor.

use std::collections::BTreeSet;
use std::path::Path;

use app_server_kit::conform::check::Check;
use app_server_kit::conform::client::catalogue::CATALOGUE as CLIENT_CHECKS;
use app_server_kit::conform::server::catalogue::CATALOGUE as SERVER_CHECKS;

/// The anchor a renderer gives a heading: lowercase, punctuation dropped, spaces as dashes.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of the headings of `file` (relative to the repository root).
fn anchors(file: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text =
        std::fs::read_to_string(root.join(file)).unwrap_or_else(|err| panic!("{file}: {err}"));
    let mut in_code = false;
    let mut anchors = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && let Some(heading) = line.strip_prefix('#') {
            anchors.insert(slug(heading.trim_start_matches('#')));
        }
    }
    anchors
}

fn assert_resolve(checks: &[Check]) {
    for check in checks {
        let (file, anchor) = check
            .reference
            .split_once('#')
            .unwrap_or_else(|| panic!("{}: reference without an anchor", check.id));
        assert!(
            ["README.md", "CHANGELOG.md", "generated/docs/API.md"].contains(&file),
            "{}: {file} is not a contract document",
            check.id
        );
        assert!(
            anchors(file).contains(anchor),
            "{}: {file} has no heading with anchor #{anchor}",
            check.id
        );
    }
}

#[test]
fn every_server_check_reference_resolves() {
    assert_resolve(&SERVER_CHECKS);
}

#[test]
fn every_client_check_reference_resolves() {
    assert_resolve(CLIENT_CHECKS);
}

#[test]
fn check_ids_are_unique_and_belong_to_a_scenario() {
    let mut seen = BTreeSet::new();
    for check in SERVER_CHECKS.iter().chain(CLIENT_CHECKS) {
        assert!(seen.insert(check.id), "{} twice", check.id);
        assert!(check.id.contains('.') && !check.scenario.contains('.'), "{}", check.id);
    }
}

#[test]
fn the_kit_readme_lists_every_check_and_no_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("kit/README.md");
    let listed: BTreeSet<&str> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `")?.split_once('`').map(|(id, _)| id))
        .filter(|id| id.contains('.'))
        .collect();
    let expected: BTreeSet<&str> = SERVER_CHECKS
        .iter()
        .chain(CLIENT_CHECKS)
        .map(|check| if check.id.starts_with("method.") { "method.<v2 method>" } else { check.id })
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn the_slugs_are_those_of_a_renderer() {
    assert_eq!(slug(" `thread/list`"), "threadlist");
    assert_eq!(slug(" Requests, answers and notifications"), "requests-answers-and-notifications");
    assert_eq!(slug(" Conventions of the wire"), "conventions-of-the-wire");
}
