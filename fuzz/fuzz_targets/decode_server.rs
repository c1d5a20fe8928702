//! Decode of one line the server sent, through the bytes entry point with the default limits.
//! Input: an optional first line naming the request method the line answers (so that its
//! result is typed), then the line. Checks: no panic; a decoded message settles to a fixed
//! point of decode → encode → decode; an error carries a standard code.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../protocol/tests/support/fuzzing.rs"]
mod fuzzing;

fuzz_target!(|data: &[u8]| {
    let (answers, line) = fuzzing::split_input(data);
    if let Err(problem) = fuzzing::check_line(false, line, answers) {
        panic!("{problem}");
    }
});
