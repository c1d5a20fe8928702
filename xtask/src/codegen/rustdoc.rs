//! Rustdoc's link syntax, which means something to rustdoc only. The doc comments of the Rust
//! types flow into TypeScript, JSON Schema descriptions, OpenRPC and API.md, whose readers see
//! `[`ThreadListParams`]` as text: every renderer takes docs through [`plain`], and a lint
//! ([`leaks`]) fails codegen when link syntax is left in any output.

/// The docs with rustdoc links turned into what they show: `` [`X`] `` → `` `X` ``,
/// `` [`X`](path::X) `` → `` `X` ``, `[text](path::X)` → `text`. Markdown links to a URL or an
/// anchor are kept.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('[') {
        out.push_str(&rest[..at]);
        let candidate = &rest[at..];
        match link(candidate) {
            Some(link) if link.is_rustdoc() => {
                out.push_str(link.text);
                rest = &candidate[link.len..];
            }
            _ => {
                out.push('[');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every rustdoc link left in `text`, as the 1-based line and the link.
pub fn leaks(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find('[') {
            let candidate = &rest[at..];
            match link(candidate) {
                Some(link) if link.is_rustdoc() => {
                    found.push((number + 1, candidate[..link.len].to_owned()));
                    rest = &candidate[link.len..];
                }
                _ => rest = &candidate[1..],
            }
        }
    }
    found
}

/// A `[text]` or `[text](target)` at the start of a string.
struct Link<'a> {
    /// What the link shows, without its brackets.
    text: &'a str,
    /// The target in parentheses, if any.
    target: Option<&'a str>,
    /// The length of the whole link.
    len: usize,
}

impl Link<'_> {
    /// Whether rustdoc would resolve it: a code span in brackets with no target, or any text
    /// whose target is a Rust path rather than a URL or an anchor.
    fn is_rustdoc(&self) -> bool {
        match self.target {
            None => is_code_span(self.text),
            Some(target) => is_rust_path(target),
        }
    }
}

fn link(text: &str) -> Option<Link<'_>> {
    let close = text.find(']')?;
    let inner = &text[1..close];
    if inner.is_empty() || inner.contains('[') || inner.contains('\n') {
        return None;
    }
    let after = &text[close + 1..];
    if let Some(target) = after.strip_prefix('(') {
        let end = target.find(')')?;
        return Some(Link { text: inner, target: Some(&target[..end]), len: close + 2 + end + 1 });
    }
    Some(Link { text: inner, target: None, len: close + 1 })
}

fn is_code_span(text: &str) -> bool {
    text.len() >= 2
        && text.starts_with('`')
        && text.ends_with('`')
        && text.matches('`').count() == 2
}

/// `Name`, `crate::v2::Thread`, `Self::decode`, `super::NoParams`, `Thread::id`, `f()`, `m!`.
fn is_rust_path(target: &str) -> bool {
    let target = target.trim_end_matches("()").trim_end_matches('!');
    !target.is_empty()
        && target.split("::").all(|segment| {
            let mut chars = segment.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustdoc_links_become_what_they_show_and_markdown_links_stay() {
        assert_eq!(plain("see [`ThreadListParams`]."), "see `ThreadListParams`.");
        assert_eq!(plain("[`as_str`](Self::as_str)'s"), "`as_str`'s");
        assert_eq!(plain("the [limits](crate::DecodeLimits)"), "the limits");
        assert_eq!(plain("[`a`] and [`b::C`]"), "`a` and `b::C`");
        for kept in [
            "[`thread/start`](#threadstart)",
            "[spec](https://example.com/a_b)",
            "`[sandbox_workspace_write]` in the file",
            "`[\"ls\", \"-la\"]`",
            "[key in string]: T",
            "Array<[A, B]>",
        ] {
            assert_eq!(plain(kept), kept);
        }
    }

    #[test]
    fn leaks_are_found_with_their_line() {
        let text = "line one\nsee [`X`] and [`Y`](crate::Y)\n[`z`](#z)";
        assert_eq!(leaks(text), vec![(2, "[`X`]".to_owned()), (2, "[`Y`](crate::Y)".to_owned())]);
        assert!(leaks(&plain(text)).is_empty());
    }
}
