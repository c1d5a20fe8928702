//! Internally tagged unions (`ThreadItem`, `UserInput`, `SandboxPolicy`, … tagged by `type`)
//! decode tag-first: when `type` is the first member the variant is decoded straight from the
//! input, otherwise the object is buffered first. Both ways must accept and reject the same
//! input the same way; these tests pin that, member by member and over every wire fixture.

use std::fs;
use std::path::{Path, PathBuf};

use app_server_protocol::Direction;
use app_server_protocol::transcript::TranscriptDecoder;
use app_server_protocol::v2::{
    Account, CommandAction, ConfigLayerSource, PatchChangeKind, ReviewTarget, SandboxPolicy,
    ThreadItem, UserInput,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|err| err.to_string())
}

/// Decodes `first` (tag first) and `later` (the same members, tag elsewhere) and checks that
/// both give the same value.
fn same_both_ways<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
    first: &str,
    later: &str,
) -> T {
    let fast: T = decode(first).unwrap_or_else(|err| panic!("{first}: {err}"));
    let buffered: T = decode(later).unwrap_or_else(|err| panic!("{later}: {err}"));
    assert_eq!(fast, buffered, "{first} vs {later}");
    fast
}

/// Both orders are rejected, with a message containing `expected` (the buffered path's
/// message has no position; compare the text before it).
fn rejected_both_ways<T: DeserializeOwned + std::fmt::Debug>(
    first: &str,
    later: &str,
    expected: &str,
) {
    for text in [first, later] {
        let err = decode::<T>(text).expect_err(text);
        assert!(err.contains(expected), "{text}: {err:?} does not contain {expected:?}");
    }
}

#[test]
fn struct_and_unit_variants_decode_the_same_whatever_the_member_order() {
    let item = same_both_ways::<ThreadItem>(
        r#"{"type":"agentMessage","id":"item-7","text":"Done."}"#,
        r#"{"id":"item-7","text":"Done.","type":"agentMessage"}"#,
    );
    assert_eq!(item, ThreadItem::AgentMessage { id: "item-7".into(), text: "Done.".into() });

    let input = same_both_ways::<UserInput>(
        r#"{"type":"localImage","path":"/a.png"}"#,
        r#"{"path":"/a.png","type":"localImage"}"#,
    );
    assert_eq!(input, UserInput::LocalImage { path: "/a.png".into() });

    // Unit variants ignore other members, as serde's derive does.
    let policy = same_both_ways::<SandboxPolicy>(
        r#"{"type":"readOnly","extra":[1,{"a":null}]}"#,
        r#"{"extra":[1],"type":"readOnly"}"#,
    );
    assert_eq!(policy, SandboxPolicy::ReadOnly);

    // Field defaults and renames apply in both paths.
    let policy = same_both_ways::<SandboxPolicy>(
        r#"{"type":"workspaceWrite","networkAccess":true}"#,
        r#"{"networkAccess":true,"type":"workspaceWrite"}"#,
    );
    assert_eq!(
        policy,
        SandboxPolicy::WorkspaceWrite {
            writable_roots: vec![],
            network_access: true,
            exclude_tmpdir_env_var: false,
            exclude_slash_tmp: false
        }
    );

    // Unknown members are ignored; nested unions decode tag-first too.
    let item = same_both_ways::<ThreadItem>(
        r#"{"type":"userMessage","id":"u1","future":{"x":1},"content":[{"type":"text","text":"hi"},{"url":"https://x/y.png","type":"image"}]}"#,
        r#"{"content":[{"text":"hi","type":"text"},{"type":"image","url":"https://x/y.png"}],"id":"u1","type":"userMessage"}"#,
    );
    assert_eq!(
        item,
        ThreadItem::UserMessage {
            id: "u1".into(),
            content: vec![
                UserInput::Text { text: "hi".into() },
                UserInput::Image { url: "https://x/y.png".into() }
            ],
        }
    );
}

#[test]
fn a_tag_with_escapes_names_the_same_variant() {
    let input = same_both_ways::<UserInput>(
        r#"{"type":"te\u0078t","text":"a"}"#,
        r#"{"text":"a","type":"\u0074ext"}"#,
    );
    assert_eq!(input, UserInput::Text { text: "a".into() });
}

#[test]
fn bad_tags_are_refused_with_serde_s_messages() {
    rejected_both_ways::<UserInput>(
        r#"{"text":"a"}"#,
        r#"{"text":"a","also":1}"#,
        "missing field `type`",
    );
    rejected_both_ways::<UserInput>(r#"{}"#, r#"{}"#, "missing field `type`");
    rejected_both_ways::<UserInput>(
        r#"{"type":"video","url":"x"}"#,
        r#"{"url":"x","type":"video"}"#,
        "unknown variant `video`, expected one of `text`, `image`, `localImage`",
    );
    rejected_both_ways::<UserInput>(
        r#"{"type":0,"text":"a"}"#,
        r#"{"text":"a","type":0}"#,
        "invalid type: integer `0`, expected a string",
    );
    rejected_both_ways::<UserInput>(
        r#"{"type":null,"text":"a"}"#,
        r#"{"text":"a","type":null}"#,
        "invalid type: null, expected a string",
    );
}

#[test]
fn repeated_members_are_refused() {
    rejected_both_ways::<UserInput>(
        r#"{"type":"text","text":"a","type":"text"}"#,
        r#"{"text":"a","type":"text","type":"image"}"#,
        "duplicate field `type`",
    );
    rejected_both_ways::<UserInput>(
        r#"{"type":"text","text":"a","text":"b"}"#,
        r#"{"text":"a","text":"b","type":"text"}"#,
        "duplicate field `text`",
    );
}

#[test]
fn fields_that_do_not_fit_are_refused() {
    rejected_both_ways::<UserInput>(
        r#"{"type":"text","text":7}"#,
        r#"{"text":7,"type":"text"}"#,
        "invalid type: integer `7`, expected a string",
    );
    rejected_both_ways::<UserInput>(
        r#"{"type":"text"}"#,
        r#"{"other":1,"type":"text"}"#,
        "missing field `text`",
    );
    rejected_both_ways::<SandboxPolicy>(
        r#"{"type":"workspaceWrite","networkAccess":"yes"}"#,
        r#"{"networkAccess":"yes","type":"workspaceWrite"}"#,
        "invalid type: string \"yes\", expected a boolean",
    );
}

#[test]
fn a_value_that_is_not_an_object_says_which_union_was_expected() {
    let err = decode::<SandboxPolicy>(r#""readOnly""#).unwrap_err();
    assert!(
        err.starts_with(
            "invalid type: string \"readOnly\", expected internally tagged enum SandboxPolicy"
        ),
        "{err}"
    );
    let err = decode::<ThreadItem>("[]").unwrap_err();
    assert!(
        err.starts_with("invalid type: sequence, expected internally tagged enum ThreadItem"),
        "{err}"
    );
}

#[test]
fn every_union_of_the_v2_surface_round_trips_both_ways() {
    fn check<T: DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug>(wire: &str) {
        let value: T = decode(wire).unwrap_or_else(|err| panic!("{wire}: {err}"));
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            wire,
            "the encoder writes the tag first"
        );
        let later = tag_last(&serde_json::from_str(wire).unwrap());
        assert_eq!(decode::<T>(&later).unwrap_or_else(|err| panic!("{later}: {err}")), value);
    }
    check::<Account>(r#"{"type":"chatgpt","email":"ada@example.com","planType":"pro"}"#);
    check::<CommandAction>(
        r#"{"type":"read","command":"cat a.rs","name":"a.rs","path":"/r/a.rs"}"#,
    );
    check::<PatchChangeKind>(r#"{"type":"update","move_path":"src/new.rs"}"#);
    check::<ReviewTarget>(r#"{"type":"baseBranch","branch":"main"}"#);
    check::<ConfigLayerSource>(r#"{"type":"project","dotCodexFolder":"/repo/.codex"}"#);
    check::<ConfigLayerSource>(r#"{"type":"sessionFlags"}"#);
}

/// `value` as JSON text with `type` written last in every object (the buffered path).
fn tag_last(value: &Value) -> String {
    with_tag(value, false)
}

/// `value` as JSON text with `type` written first in every object (the tag-first path).
fn tag_first(value: &Value) -> String {
    with_tag(value, true)
}

fn with_tag(value: &Value, first: bool) -> String {
    match value {
        Value::Object(members) => {
            let mut entries: Vec<(&String, &Value)> = members.iter().collect();
            entries.sort_by_key(|(key, _)| (key.as_str() == "type") != first);
            let inner: Vec<String> = entries
                .into_iter()
                .map(|(key, value)| {
                    format!("{}:{}", Value::String(key.clone()), with_tag(value, first))
                })
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(|item| with_tag(item, first)).collect::<Vec<_>>().join(",")
        ),
        scalar => scalar.to_string(),
    }
}

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fixture_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            out.push(path);
        }
    }
}

/// Every wire fixture, written once with `type` first in every object and once with it last,
/// decodes to the same typed message (compared by its canonical encoding).
#[test]
fn every_fixture_decodes_the_same_with_the_tag_first_or_last() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = Vec::new();
    for generation in ["v1", "v2"] {
        fixture_files(&root.join(generation), &mut files);
    }
    files.sort();
    assert!(files.len() > 100, "the fixtures are there ({} files)", files.len());
    let (mut messages, mut with_unions) = (0, 0);
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let (mut first_order, mut last_order) =
            (TranscriptDecoder::new(), TranscriptDecoder::new());
        for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let at = format!("{}:{}", file.display(), index + 1);
            let entry: Value =
                serde_json::from_str(line).unwrap_or_else(|err| panic!("{at}: {err}"));
            let from = if entry["from"] == "client" {
                Direction::ClientToServer
            } else {
                Direction::ServerToClient
            };
            let (first, last) = (tag_first(&entry["message"]), tag_last(&entry["message"]));
            with_unions += usize::from(first != last);
            let fast = first_order.decode(from, &first).map(|m| m.to_value().unwrap());
            let buffered = last_order.decode(from, &last).map(|m| m.to_value().unwrap());
            match (fast, buffered) {
                (Ok(fast), Ok(buffered)) => assert_eq!(fast, buffered, "{at}"),
                (fast, buffered) => panic!("{at}: tag first: {fast:?}\ntag last: {buffered:?}"),
            }
            messages += 1;
        }
    }
    assert!(messages > 400 && with_unions > 50, "{messages} messages, {with_unions} with a union");
}
