//! The Python and text templates of the package, kept as files beside this module
//! (`templates/`), and the one way they are filled: `%name%` → its value.

/// `methods.py` up to its tables.
pub const METHODS_HEAD: &str = include_str!("templates/methods_head.py");
/// One entry of a method map.
pub const METHOD_ENTRY: &str = include_str!("templates/method_entry.py");
/// `_calls.py` up to its overloads.
pub const CALLS_HEAD: &str = include_str!("templates/calls_head.py");
/// The implementation of `Client.request` (`%signature%`: its first line).
pub const CALLS_REQUEST: &str = include_str!("templates/calls_request.py");
/// The implementation of `Client.notify`.
pub const CALLS_NOTIFY: &str = include_str!("templates/calls_notify.py");
/// The implementation of `Client.on_request`.
pub const CALLS_ON_REQUEST: &str = include_str!("templates/calls_on_request.py");
/// `pyproject.toml`.
pub const PYPROJECT: &str = include_str!("templates/pyproject.toml");
/// The package's `README.md`.
pub const README: &str = include_str!("templates/README.md");

/// `template` with each `%name%` replaced by its value; a placeholder left unfilled is a
/// mistake of the caller's (checked in tests).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("%{name}%"), value);
    }
    text
}
