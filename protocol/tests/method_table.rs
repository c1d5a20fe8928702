//! The method table against the baseline's method table (`compat/baselines/0.63.0/published/methods.md`)
//! and the methods the changes C1–C13 add (CHANGELOG.md, "Change ids"): every method present exactly once, with the
//! baseline's direction, API generation and type names; no wire name or alias used twice.

use std::collections::BTreeMap;

use app_server_protocol::{
    ApiGeneration, CLIENT_NOTIFICATIONS, CLIENT_REQUESTS, Direction, MessageKind, MethodMeta,
    SERVER_NOTIFICATIONS, SERVER_REQUESTS, all_methods,
};

const METHODS_MD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../compat/baselines/0.63.0/published/methods.md"
));

/// One row of the baseline's methods.md.
#[derive(Debug)]
struct BaselineRow {
    section: &'static str,
    method: String,
    api: String,
    params: String,
    result: Option<String>,
}

fn baseline_rows() -> Vec<BaselineRow> {
    let mut rows = Vec::new();
    let mut section = "";
    for line in METHODS_MD.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            section = match title.trim() {
                "Client → server requests" => "client requests",
                "Server → client requests" => "server requests",
                "Server → client notifications" => "server notifications",
                "Client → server notifications" => "client notifications",
                other => panic!("unexpected section in methods.md: {other}"),
            };
            continue;
        }
        if !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_owned())
            .collect();
        let api = cells[1].split_whitespace().next().unwrap_or_default().to_owned();
        rows.push(BaselineRow {
            section,
            method: cells[0].clone(),
            api,
            params: cells[2].clone(),
            result: cells.get(3).cloned(),
        });
    }
    rows
}

fn table_for(section: &str) -> &'static [MethodMeta] {
    match section {
        "client requests" => CLIENT_REQUESTS,
        "server requests" => SERVER_REQUESTS,
        "server notifications" => SERVER_NOTIFICATIONS,
        "client notifications" => CLIENT_NOTIFICATIONS,
        other => panic!("no table for {other}"),
    }
}

fn api_name(api: ApiGeneration) -> &'static str {
    api.as_str()
}

#[test]
fn methods_md_parses_into_all_four_sections() {
    let rows = baseline_rows();
    for section in
        ["client requests", "server requests", "server notifications", "client notifications"]
    {
        assert!(rows.iter().any(|r| r.section == section), "no rows parsed for {section}");
    }
    assert!(rows.len() >= 60, "only {} rows parsed from methods.md", rows.len());
}

#[test]
fn every_baseline_method_is_in_the_table_once_with_baseline_types() {
    let mut problems = Vec::new();
    for row in baseline_rows() {
        let table = table_for(row.section);
        let matches: Vec<&MethodMeta> =
            table.iter().filter(|m| m.wire_name == row.method).collect();
        let [meta] = matches.as_slice() else {
            problems.push(format!(
                "{} `{}`: found {} times",
                row.section,
                row.method,
                matches.len()
            ));
            continue;
        };
        if api_name(meta.api) != row.api {
            problems.push(format!(
                "`{}`: api {} ≠ baseline {}",
                row.method,
                api_name(meta.api),
                row.api
            ));
        }
        let params = meta.params_type_name().unwrap_or("(none)");
        if params != row.params {
            problems.push(format!("`{}`: params {params} ≠ baseline {}", row.method, row.params));
        }
        if let Some(result) = &row.result
            && meta.result_type_name() != Some(result.as_str())
        {
            problems.push(format!(
                "`{}`: result {:?} ≠ baseline {result}",
                row.method,
                meta.result_type_name()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "method table disagrees with methods.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_new_methods_of_changes_md_are_in_the_table() {
    let expected = [
        ("config/read", Direction::ClientToServer, MessageKind::Request),
        ("config/value/write", Direction::ClientToServer, MessageKind::Request),
        ("config/batchWrite", Direction::ClientToServer, MessageKind::Request),
        ("mcpServer/oauth/login", Direction::ClientToServer, MessageKind::Request),
        ("mcpServerStatus/list", Direction::ClientToServer, MessageKind::Request),
        ("turn/diff/updated", Direction::ServerToClient, MessageKind::Notification),
        ("mcpServer/oauthLogin/completed", Direction::ServerToClient, MessageKind::Notification),
    ];
    for (wire, direction, kind) in expected {
        let found: Vec<_> = all_methods().filter(|m| m.wire_name == wire).collect();
        assert_eq!(found.len(), 1, "`{wire}` should be in the table exactly once");
        assert_eq!(
            (found[0].direction, found[0].kind, found[0].api),
            (direction, kind, ApiGeneration::V2),
            "`{wire}`"
        );
    }
}

#[test]
fn the_deprecated_aliases_of_changes_md_are_declared() {
    let aliases: BTreeMap<&str, &str> = all_methods()
        .flat_map(|m| m.aliases.iter().map(move |alias| (*alias, m.wire_name)))
        .collect();
    assert_eq!(aliases.get("mcpServer/oauthLogin"), Some(&"mcpServer/oauth/login"));
    assert_eq!(aliases.get("mcpServers/list"), Some(&"mcpServerStatus/list"));
    assert_eq!(aliases.get("mcp/servers/list"), Some(&"mcpServerStatus/list"));
}

#[test]
fn no_two_rows_share_a_wire_name_or_alias() {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let mut clashes = Vec::new();
    for meta in all_methods() {
        for name in std::iter::once(&meta.wire_name).chain(meta.aliases) {
            let owner = format!("{} ({:?} {:?})", meta.wire_name, meta.direction, meta.kind);
            if let Some(previous) = seen.insert(name, owner.clone()) {
                clashes.push(format!("`{name}` is used by {previous} and {owner}"));
            }
        }
    }
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}

#[test]
fn metadata_is_consistent_with_its_table() {
    for (table, direction, kind) in [
        (CLIENT_REQUESTS, Direction::ClientToServer, MessageKind::Request),
        (SERVER_REQUESTS, Direction::ServerToClient, MessageKind::Request),
        (SERVER_NOTIFICATIONS, Direction::ServerToClient, MessageKind::Notification),
        (CLIENT_NOTIFICATIONS, Direction::ClientToServer, MessageKind::Notification),
    ] {
        for meta in table {
            assert_eq!((meta.direction, meta.kind), (direction, kind), "{}", meta.wire_name);
            assert_eq!(
                meta.result_type.is_some(),
                kind == MessageKind::Request,
                "{}",
                meta.wire_name
            );
            assert!(!meta.doc.trim().is_empty(), "`{}` has no doc comment", meta.wire_name);
        }
    }
}

#[test]
fn method_enums_index_their_own_rows() {
    use app_server_protocol::{
        ClientNotificationMethod, ClientRequestMethod, ServerNotificationMethod,
        ServerRequestMethod,
    };
    for m in ClientRequestMethod::ALL {
        assert_eq!(m.meta().wire_name, m.wire_name());
        assert_eq!(ClientRequestMethod::from_wire(m.wire_name()), Some(*m));
    }
    for m in ServerRequestMethod::ALL {
        assert_eq!(m.meta().wire_name, m.wire_name());
        assert_eq!(ServerRequestMethod::from_wire(m.wire_name()), Some(*m));
    }
    for m in ServerNotificationMethod::ALL {
        assert_eq!(m.meta().wire_name, m.wire_name());
        if m.meta().family.is_some() {
            // A family answers to its prefix followed by a suffix, never to the bare prefix.
            let member = format!("{}task_started", m.wire_name());
            assert_eq!(ServerNotificationMethod::from_wire(&member), Some(*m));
            assert_eq!(ServerNotificationMethod::from_wire(m.wire_name()), None);
        } else {
            assert_eq!(ServerNotificationMethod::from_wire(m.wire_name()), Some(*m));
        }
    }
    for m in ClientNotificationMethod::ALL {
        assert_eq!(m.meta().wire_name, m.wire_name());
        assert_eq!(ClientNotificationMethod::from_wire(m.wire_name()), Some(*m));
    }
    assert_eq!(
        ClientRequestMethod::from_wire("mcpServers/list"),
        Some(ClientRequestMethod::McpServerStatusList)
    );
}

/// Every v2 request a client sends with params has example params in its row (`example:`),
/// and each example is valid: it decodes as the request's params. A row without one fails here
/// by name (the conformance kit sends these, documents show them).
#[test]
fn every_v2_client_request_with_params_has_an_example_that_decodes() {
    use app_server_protocol::{ClientMessage, PendingRequests, decode_client_message};

    let mut failures = Vec::new();
    for meta in CLIENT_REQUESTS {
        let Some(example) = meta.example_params else {
            if meta.api == ApiGeneration::V2 && meta.params_type.is_some() {
                failures.push(format!(
                    "`{}`: no `example:` in its row of protocol/src/methods.rs",
                    meta.wire_name
                ));
            }
            continue;
        };
        let params: serde_json::Value = match serde_json::from_str(example) {
            Ok(params) => params,
            Err(error) => {
                failures.push(format!(
                    "`{}`: its example is not JSON ({error}): {example}",
                    meta.wire_name
                ));
                continue;
            }
        };
        let line = serde_json::json!({ "id": 1, "method": meta.wire_name, "params": params });
        match decode_client_message(&line.to_string(), &mut PendingRequests::new()) {
            Ok(ClientMessage::Request(_)) => {}
            other => failures
                .push(format!("`{}`: its example does not decode: {other:?}", meta.wire_name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The errors a row lists are refusals of well-formed params (-32600 / -32602), each said in
/// words or tied to the values of a string enum.
#[test]
fn the_errors_of_a_row_are_refusals_said_in_words() {
    use app_server_protocol::ErrorData;

    for meta in all_methods() {
        for error in meta.errors {
            assert!(
                [-32600, -32602].contains(&error.code.0),
                "`{}`: {error:?} is not a refusal",
                meta.wire_name
            );
            match error.data {
                None => assert!(!error.when.is_empty(), "`{}`: {error:?}", meta.wire_name),
                Some(ErrorData::EachValueOf { member, type_name }) => {
                    assert!(!member.is_empty() && type_name.contains('.'), "{error:?}")
                }
            }
        }
    }
    let paged = CLIENT_REQUESTS
        .iter()
        .filter(|meta| meta.errors.iter().any(|error| error.when.starts_with("`limit` is `0`")));
    assert!(paged.count() >= 1, "the paging refusal is stated by the rows of paginated methods");
}
