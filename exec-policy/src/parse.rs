//! Splitting a shell script into the simple commands it runs, with the tree-sitter bash
//! grammar (a real parser: `&&`, `||`, `;`, `&`, `|`, `|&`, quotes, escapes, subshells,
//! `{ …; }` groups and redirections).
//!
//! What is read statically: simple commands whose words are literal — bare words with
//! backslash escapes, `'single'` and `"double"` quoted strings without expansions, and
//! concatenations of those. Globs (`*.rs`) and `~` are kept as literal text (a glob as the
//! command name is not). Redirections are
//! read too: writing to a file (`>`, `>>`, `&>`, `>|`, `<>`) other than `/dev/null` sets
//! [`ParsedCommand::writes_files`]; reading (`<`), descriptor duplication (`2>&1`) and
//! here-documents/strings without expansions are harmless.
//!
//! What is not, and becomes an [`ScriptPart::Opaque`] part (the caller treats it as needing
//! approval): expansions (`$HOME`, `${x}`, `$(…)`, `` `…` ``, `<(…)`, `$((…))`, `{a,b}`), `$'…'`
//! strings, environment assignments (`FOO=1 cmd`), control flow (`if`, `for`, `while`,
//! `case`), function definitions, `[[ … ]]`, and words joined by a line continuation. The
//! commands found inside an opaque part (e.g. in `$(…)` or an `if` body) are still listed, so
//! that a forbidden command hidden there is seen. A script with a syntax error is refused
//! whole ([`ScriptSyntaxError`]).

use std::fmt;

use tree_sitter::{Node, Parser};

/// Deeper nesting than this is not read (it becomes an opaque part).
const MAX_DEPTH: usize = 64;

/// One piece of a parsed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptPart {
    /// A simple command whose words are all known.
    Command(ParsedCommand),
    /// A piece that cannot be read statically; evaluate it as needing approval.
    Opaque {
        /// The piece's source text.
        text: String,
        /// Why it cannot be read, e.g. ``"`$HOME` is expanded by the shell"``.
        reason: String,
    },
}

/// A simple command of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommand {
    /// The program and its arguments as the shell passes them (quotes and escapes removed).
    pub argv: Vec<String>,
    /// Whether a redirection makes it write to a file (other than `/dev/null`).
    pub writes_files: bool,
}

/// The script does not parse as bash (e.g. an unterminated quote or a dangling `&&`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptSyntaxError {
    /// Byte offset of the first error in the script.
    pub offset: usize,
}

impl fmt::Display for ScriptSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shell syntax error at byte {}", self.offset)
    }
}

impl std::error::Error for ScriptSyntaxError {}

/// Splits `script` into its parts, in source order; see the module docs.
pub fn parse_script(script: &str) -> Result<Vec<ScriptPart>, ScriptSyntaxError> {
    let mut parser = Parser::new();
    let language = tree_sitter::Language::from(tree_sitter_bash::LANGUAGE);
    if parser.set_language(&language).is_err() {
        return Err(ScriptSyntaxError { offset: 0 });
    }
    let tree = parser.parse(script, None).ok_or(ScriptSyntaxError { offset: 0 })?;
    let root = tree.root_node();
    if root.has_error() {
        return Err(ScriptSyntaxError { offset: first_error(root).unwrap_or(0) });
    }
    let mut walker = Walker { source: script.as_bytes(), parts: Vec::new() };
    walker.statement(root, false, 0);
    Ok(walker.parts)
}

/// The script of a shell wrapper `bash -lc "<script>"` (also `sh`, `zsh`, `dash`, by path
/// too, with `-c` or `-lc`); `None` for any other argv.
pub fn shell_wrapper_script(argv: &[String]) -> Option<&str> {
    let [shell, flag, script] = argv else { return None };
    let name = shell.rsplit('/').next().unwrap_or(shell);
    let is_shell = matches!(name, "bash" | "sh" | "zsh" | "dash");
    (is_shell && matches!(flag.as_str(), "-c" | "-lc")).then_some(script.as_str())
}

fn first_error(node: Node<'_>) -> Option<usize> {
    if node.is_error() || node.is_missing() {
        return Some(node.start_byte());
    }
    children(node).into_iter().filter(|child| child.has_error()).find_map(first_error)
}

fn children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|child| child.kind() != "comment").collect()
}

/// Kinds whose named children are statements run in sequence or in a pipeline.
fn is_container(kind: &str) -> bool {
    matches!(
        kind,
        "program"
            | "list"
            | "pipeline"
            | "subshell"
            | "compound_statement"
            | "negated_command"
            | "command_substitution"
            | "process_substitution"
    )
}

/// Kinds expanded by the shell at run time.
fn is_expansion(kind: &str) -> bool {
    matches!(
        kind,
        "simple_expansion"
            | "expansion"
            | "command_substitution"
            | "process_substitution"
            | "arithmetic_expansion"
    )
}

struct Walker<'s> {
    source: &'s [u8],
    parts: Vec<ScriptPart>,
}

impl Walker<'_> {
    fn text(&self, node: Node<'_>) -> &str {
        node.utf8_text(self.source).unwrap_or_default()
    }

    fn statement(&mut self, node: Node<'_>, writes_files: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return self.opaque(node, "nested too deeply".to_owned(), depth);
        }
        let kind = node.kind();
        if kind == "comment" {
            return;
        }
        if is_container(kind) {
            for child in named_children(node) {
                self.statement(child, writes_files, depth + 1);
            }
            return;
        }
        match kind {
            "redirected_statement" => self.redirected(node, writes_files, depth),
            "command" => match self.command(node, writes_files) {
                Ok(command) => self.parts.push(ScriptPart::Command(command)),
                Err(reason) => self.opaque(node, reason, depth),
            },
            other => self.opaque(node, format!("`{other}` is not a plain command"), depth),
        }
    }

    fn redirected(&mut self, node: Node<'_>, mut writes_files: bool, depth: usize) {
        let mut cursor = node.walk();
        let redirects: Vec<Node<'_>> =
            node.children_by_field_name("redirect", &mut cursor).collect();
        for redirect in redirects {
            match self.redirect(redirect) {
                Ok(writes) => writes_files |= writes,
                Err(reason) => return self.opaque(node, reason, depth),
            }
        }
        match node.child_by_field_name("body") {
            Some(body) => self.statement(body, writes_files, depth + 1),
            None => self.opaque(node, "a redirection without a command".to_owned(), depth),
        }
    }

    /// Records an unreadable piece, then the commands found inside it.
    fn opaque(&mut self, node: Node<'_>, reason: String, depth: usize) {
        let text = self.text(node).to_owned();
        self.parts.push(ScriptPart::Opaque { text, reason });
        self.inside(node, depth + 1);
    }

    fn inside(&mut self, node: Node<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in named_children(node) {
            if is_container(child.kind())
                || matches!(child.kind(), "command" | "redirected_statement")
            {
                self.statement(child, false, depth + 1);
            } else {
                self.inside(child, depth + 1);
            }
        }
    }

    fn command(&self, node: Node<'_>, mut writes_files: bool) -> Result<ParsedCommand, String> {
        let mut argv = Vec::new();
        let mut previous: Option<Node<'_>> = None;
        for child in named_children(node) {
            if let Some(previous) = previous {
                let gap = &self.source[previous.end_byte()..child.start_byte()];
                let gap = String::from_utf8_lossy(gap).replace("\\\n", "");
                if gap.is_empty() && previous.end_byte() < child.start_byte() {
                    return Err("words joined by a line continuation".to_owned());
                }
            }
            previous = Some(child);
            match child.kind() {
                "command_name" => {
                    let word = child.named_child(0).ok_or("an empty command name")?;
                    let name = self.word(word)?;
                    if word.kind() == "word" && name.contains(['*', '?', '[']) {
                        return Err(format!("the command name `{name}` is a glob"));
                    }
                    argv.push(name);
                }
                "variable_assignment" => {
                    return Err(format!("the environment assignment `{}`", self.text(child)));
                }
                "file_redirect" | "heredoc_redirect" | "herestring_redirect" => {
                    writes_files |= self.redirect(child)?;
                }
                _ => argv.push(self.word(child)?),
            }
        }
        if argv.is_empty() {
            return Err("no command".to_owned());
        }
        Ok(ParsedCommand { argv, writes_files })
    }

    /// The literal value of a word, or why it has none.
    fn word(&self, node: Node<'_>) -> Result<String, String> {
        let text = self.text(node);
        match node.kind() {
            "word" if has_brace_expansion(text) => {
                Err(format!("`{text}` is brace-expanded by the shell"))
            }
            "word" => Ok(unescape(text, |_| true)),
            "number" => Ok(text.to_owned()),
            "raw_string" => Ok(strip_quotes(text).to_owned()),
            "string" => {
                if let Some(inner) =
                    named_children(node).into_iter().find(|part| part.kind() != "string_content")
                {
                    return Err(format!("`{}` is expanded by the shell", self.text(inner)));
                }
                Ok(unescape(strip_quotes(text), |c| matches!(c, '$' | '`' | '"' | '\\' | '\n')))
            }
            "concatenation" => {
                let parts = named_children(node);
                // Braces and commas of brace expansion may sit in separate unquoted pieces.
                let shape: String = parts
                    .iter()
                    .map(|part| if part.kind() == "word" { self.text(*part) } else { "_" })
                    .collect();
                if has_brace_expansion(&shape) {
                    return Err(format!("`{text}` is brace-expanded by the shell"));
                }
                parts.into_iter().map(|part| self.word(part)).collect()
            }
            _ => Err(format!("`{text}` is expanded by the shell")),
        }
    }

    /// Whether a redirection writes to a file; an error when its target is not literal.
    fn redirect(&self, node: Node<'_>) -> Result<bool, String> {
        match node.kind() {
            "file_redirect" => {
                let operator = children(node)
                    .into_iter()
                    .find(|child| !child.is_named())
                    .map(|child| self.text(child))
                    .unwrap_or_default();
                if matches!(operator, "<&-" | ">&-") {
                    return Ok(false); // Closes a descriptor.
                }
                let destination = node
                    .child_by_field_name("destination")
                    .ok_or_else(|| format!("the redirection `{}`", self.text(node)))?;
                let target = self.word(destination)?;
                let duplicates = destination.kind() == "number" || target == "-";
                match operator {
                    "<" => Ok(false),
                    ">&" | "<&" if duplicates => Ok(false),
                    ">" | ">>" | ">|" | "&>" | "&>>" | ">&" | "<>" => Ok(target != "/dev/null"),
                    _ => Err(format!("the redirection `{}`", self.text(node))),
                }
            }
            "heredoc_redirect" => {
                let mut writes_files = false;
                for child in named_children(node) {
                    match child.kind() {
                        "heredoc_start" | "heredoc_end" => {}
                        "heredoc_body" if !has_expansion(child) => {}
                        "file_redirect" => writes_files |= self.redirect(child)?,
                        _ => return Err(format!("the here-document `{}`", self.text(node))),
                    }
                }
                Ok(writes_files)
            }
            "herestring_redirect" => {
                for child in named_children(node) {
                    self.word(child)?;
                }
                Ok(false)
            }
            other => Err(format!("the redirection `{other}`")),
        }
    }
}

fn has_expansion(node: Node<'_>) -> bool {
    named_children(node).into_iter().any(|child| is_expansion(child.kind()) || has_expansion(child))
}

/// Whether an unquoted word has an unescaped `{…,…}` or `{…..…}` the shell would expand.
fn has_brace_expansion(text: &str) -> bool {
    let mut escaped = false;
    let mut open: Option<usize> = None;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => open = Some(index),
            '}' => {
                if let Some(start) = open.take() {
                    let inner = &text[start + 1..index];
                    if inner.contains(',') || inner.contains("..") {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

fn strip_quotes(text: &str) -> &str {
    let inner = text.get(1..).unwrap_or_default();
    inner.get(..inner.len().saturating_sub(1)).unwrap_or_default()
}

/// Removes the backslashes the shell removes: before any character outside quotes, before
/// the characters `escapable` accepts inside double quotes. A backslash-newline vanishes.
fn unescape(text: &str, escapable: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\n') => {}
            Some(next) if escapable(next) => out.push(next),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}
