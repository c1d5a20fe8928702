//! The transcript validator: xtask's `validate.rs` (included by path: xtask is a binary crate)
//! over a multi-line input — line forms (`>`/`<`, `{"from", "message"}`, bare), sender
//! inference, both pending tables of `TranscriptDecoder`, the line size limit, UTF-8, blank
//! lines. Checks: no panic, no error from the reader, coherent counts.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../xtask/src/validate.rs"]
mod validate;

fuzz_target!(|data: &[u8]| {
    // A small line limit, so that over-long lines are exercised too.
    let mut findings = Vec::new();
    let summary =
        validate::validate(data, 4096, &mut findings).expect("reading from memory cannot fail");
    assert!(summary.bad <= summary.messages, "{summary:?}");
    let counted: usize = summary.by_method.values().map(|(count, _)| count).sum();
    assert!(counted <= summary.messages, "{summary:?}");
    assert!(findings.len() >= summary.bad, "{summary:?} {findings:?}");
});
