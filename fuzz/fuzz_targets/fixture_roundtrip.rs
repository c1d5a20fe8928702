//! Structure-aware: a fixture message (every message of fixtures/v1 and fixtures/v2) mutated
//! as JSON — values replaced by hostile numbers or wrong types, members removed, added or
//! renamed (camelCase ↔ snake_case, known names), values wrapped or copied — then decoded by
//! its receiver. Checks: decode → encode → decode settles to a fixed point, or a typed error.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[path = "../../protocol/tests/support/fuzzing.rs"]
mod fuzzing;

#[derive(Debug, Arbitrary)]
struct Input {
    fixture: u16,
    mutations: Vec<(u8, u32, u32)>,
}

struct Corpus {
    messages: Vec<fuzzing::FixtureMessage>,
    strings: Vec<String>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let messages = fuzzing::fixture_messages(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
        let strings = fuzzing::corpus_strings(&messages);
        Corpus { messages, strings }
    })
}

fuzz_target!(|input: Input| {
    let corpus = corpus();
    let fixture = &corpus.messages[usize::from(input.fixture) % corpus.messages.len()];
    let mut message = fixture.message.clone();
    for &(kind, pick, arg) in input.mutations.iter().take(8) {
        fuzzing::mutate(&mut message, fuzzing::Mutation { kind, pick, arg }, &corpus.strings);
    }
    let line = message.to_string();
    if let Err(problem) =
        fuzzing::check_line(fixture.from_client, line.as_bytes(), fixture.answers.as_deref())
    {
        panic!("{line}\n{problem}");
    }
});
