//! The bounded, deterministic slice of the fuzzing (`fuzz/` runs the unbounded one) that the normal test
//! command runs: proptest with a fixed seed and no persistence files, over structure-aware
//! mutations of every fixture message, arbitrary JSON in message shapes, and arbitrary bytes.
//! Each decoded line must pass the checks of `support/fuzzing.rs` (no panic; decode → encode →
//! decode is a fixed point; errors carry a standard code). The long runs are the cargo-fuzz
//! targets in `fuzz/` (see `fuzz/README.md`), which share the same support module.

mod support {
    pub mod fuzzing;
}

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use serde_json::{Map, Value, json};
use support::fuzzing::{
    FixtureMessage, Mutation, check_line, corpus_strings, fixture_messages, mutate,
};

struct Corpus {
    messages: Vec<FixtureMessage>,
    strings: Vec<String>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let messages = fixture_messages(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
        let strings = corpus_strings(&messages);
        Corpus { messages, strings }
    })
}

fn config(cases: u32, seed: u64) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (any::<u8>(), any::<u32>(), any::<u32>()).prop_map(|(kind, pick, arg)| Mutation {
        kind,
        pick,
        arg,
    })
}

/// Any JSON value, up to 4 levels and 24 nodes, with the corpus's strings among the leaves.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        "[a-zA-Z_/.\\-]{0,12}".prop_map(Value::String),
        any::<prop::sample::Index>().prop_map(|i| Value::String(i.get(&corpus().strings).clone())),
    ];
    leaf.prop_recursive(4, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<prop::sample::Index>(), inner), 0..6).prop_map(
                |members| {
                    Value::Object(
                        members
                            .into_iter()
                            .map(|(i, v)| (i.get(&corpus().strings).clone(), v))
                            .collect::<Map<_, _>>(),
                    )
                }
            ),
        ]
    })
}

#[test]
fn every_fixture_message_is_a_fixed_point() {
    let corpus = corpus();
    assert!(corpus.messages.len() > 400, "{}", corpus.messages.len());
    for fixture in &corpus.messages {
        let line = fixture.message.to_string();
        check_line(fixture.from_client, line.as_bytes(), fixture.answers.as_deref())
            .unwrap_or_else(|problem| panic!("{line}\n{problem}"));
    }
}

/// Found by the fixed-point check (fuzz/README.md, finding 5): the frozen v1 wire of a
/// reasoning item leaves out a `content` list without `reasoning_text` parts, which then reads
/// back as absent and is written as `null`. Two rounds, then a fixed point.
#[test]
fn reasoning_content_without_reasoning_text_settles_in_two_rounds() {
    use app_server_protocol::{ClientMessage, PendingRequests, decode_client_message};
    let decode = |line: &str| decode_client_message(line, &mut PendingRequests::new()).unwrap();
    let item = |content: &str| {
        format!(
            r#"{{"id":1,"method":"thread/resume","params":{{"threadId":"thr_1","history":[{{"type":"reasoning","id":"rs_1","summary":[]{content},"encrypted_content":null}}]}}}}"#
        )
    };
    let first = decode(&item(r#","content":[{"type":"text","text":"plan"}]"#)).to_line().unwrap();
    assert_eq!(first, item("").replace(r#","id":"rs_1""#, ""));
    let second = decode(&first).to_line().unwrap();
    assert_eq!(second, item(r#","content":null"#).replace(r#","id":"rs_1""#, ""));
    let settled: ClientMessage = decode(&second);
    assert_eq!(settled.to_line().unwrap(), second);
}

proptest! {
    #![proptest_config(config(2000, 0x0008_0001))]

    /// Structure-aware: one to four mutations of a fixture message (values replaced by hostile
    /// numbers or wrong types, members removed, added or renamed, values wrapped or copied).
    #[test]
    fn mutated_fixtures_decode_to_a_fixed_point_or_a_typed_error(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let corpus = corpus();
        let fixture = pick.get(&corpus.messages);
        let mut message = fixture.message.clone();
        for m in &mutations {
            mutate(&mut message, *m, &corpus.strings);
        }
        let line = message.to_string();
        if let Err(problem) = check_line(fixture.from_client, line.as_bytes(), fixture.answers.as_deref()) {
            prop_assert!(false, "{}\n{}", line, problem);
        }
    }
}

proptest! {
    #![proptest_config(config(2000, 0x0008_0002))]

    /// Arbitrary JSON in the shape of each kind of message, with real method names.
    #[test]
    fn arbitrary_json_in_message_shapes_never_breaks_the_decoder(
        shape in 0u8..4,
        id in prop_oneof![Just(json!(1)), Just(json!("r-1")), Just(Value::Null), json_value()],
        method in any::<prop::sample::Index>(),
        payload in json_value(),
        from_client in any::<bool>(),
    ) {
        let corpus = corpus();
        let fixture = method.get(&corpus.messages);
        let method = fixture.message.get("method").cloned().unwrap_or(json!("thread/list"));
        let message = match shape {
            0 => json!({ "id": id, "method": method, "params": payload }),
            1 => json!({ "method": method, "params": payload }),
            2 => json!({ "id": id, "result": payload }),
            _ => payload,
        };
        let answers = fixture.answers.clone().or_else(|| method.as_str().map(str::to_owned));
        let line = message.to_string();
        if let Err(problem) = check_line(from_client, line.as_bytes(), answers.as_deref()) {
            prop_assert!(false, "{}\n{}", line, problem);
        }
    }
}

proptest! {
    #![proptest_config(config(1000, 0x0008_0003))]

    /// Arbitrary bytes, and fixture lines with arbitrary bytes spliced in.
    #[test]
    fn arbitrary_bytes_never_break_the_decoder(
        bytes in prop::collection::vec(any::<u8>(), 0..96),
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        from_client in any::<bool>(),
    ) {
        let fixture = pick.get(&corpus().messages);
        let mut line = fixture.message.to_string().into_bytes();
        let cut = at.index(line.len() + 1);
        line.splice(cut..cut, bytes.iter().copied());
        for input in [&bytes[..], &line[..]] {
            if let Err(problem) = check_line(from_client, input, fixture.answers.as_deref()) {
                prop_assert!(false, "{:?}\n{}", String::from_utf8_lossy(input), problem);
            }
        }
    }
}
