//! TSDoc comments: what the declaration emitters and the runtime emitter both write.

use std::fmt::Write as _;

/// A TSDoc comment of `doc` at `indent`, with `@deprecated` when given.
pub fn doc_comment(doc: &str, indent: &str, deprecated: Option<&str>) -> String {
    let mut out = format!("{indent}/**\n");
    for line in doc.trim().lines() {
        let line = line.replace("*/", "*\\/");
        if line.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    if let Some(note) = deprecated {
        let _ = writeln!(out, "{indent} * @deprecated {note}");
    }
    let _ = writeln!(out, "{indent} */");
    out
}
