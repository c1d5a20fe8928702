//! `cargo xtask cycles`: no file of a crate imports, through a chain of others, a file that
//! imports it. Each `.rs` file under a crate's `src/` is a node; a path the file names
//! (`use crate::a::b::C;`, `use super::x::{Y, Z};`, `crate::a::f()` in code) is an edge to the
//! deepest file that path reaches (`src/a/b.rs`, or `src/a/b/mod.rs`), following `pub use`
//! re-exports to the file that defines the item. The module tree is not a dependency between
//! peers, so it makes no edge: `mod` declarations, `pub use` lines, and a module's use of its
//! own children (a child's use of its parent's items is an edge). So a cycle is a chain of
//! files that are not each other's ancestors, such as two siblings that import each other.
//! Comments and string literals are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One file cycle: the files, each importing the next, the last importing the first.
pub type Cycle = Vec<PathBuf>;

/// The module of one file: its path from the crate root (`["codegen", "collect"]`).
type ModulePath = Vec<String>;

/// Every file cycle of the crate whose sources are in `src` (paths relative to `src`), each
/// once, smallest first.
pub fn cycles_of_crate(src: &Path) -> Result<Vec<Cycle>, String> {
    let files = module_files(src)?;
    let by_module: BTreeMap<ModulePath, PathBuf> =
        files.iter().map(|(file, module)| (module.clone(), file.clone())).collect();
    let mut sources = BTreeMap::new();
    for (file, _) in &files {
        let text = fs::read_to_string(src.join(file))
            .map_err(|error| format!("{}: {error}", src.join(file).display()))?;
        sources.insert(file.clone(), without_test_modules(&code_only(&text)));
    }
    let exports: BTreeMap<&PathBuf, BTreeMap<String, ModulePath>> =
        files.iter().map(|(file, module)| (file, re_exports(&sources[file], module))).collect();
    let resolver = Resolver { by_module: &by_module, exports: &exports };
    let module_of: BTreeMap<&PathBuf, &ModulePath> =
        files.iter().map(|(file, module)| (file, module)).collect();
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (file, module) in &files {
        let edges = graph.entry(file.clone()).or_default();
        let is_module = |path: &ModulePath| by_module.contains_key(path);
        for path in imported_paths(&sources[file], module, &is_module) {
            let Some(target) = resolver.file_of(&path, 0) else { continue };
            // A module using its own children is the module tree, not a dependency between
            // peers; a child using its parent's items is an edge.
            let descendant = module_of.get(&target).is_some_and(|t| t.starts_with(module));
            if !descendant {
                edges.insert(target);
            }
        }
    }
    Ok(find_cycles(&graph))
}

/// Every `.rs` file below `src` with its module path (`lib.rs`/`main.rs` the root, `mod.rs`
/// its folder's module).
fn module_files(src: &Path) -> Result<Vec<(PathBuf, ModulePath)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|error| error.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let relative = path.strip_prefix(src).unwrap_or(&path).to_path_buf();
                let module = module_path_of(&relative);
                out.push((relative, module));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn module_path_of(relative: &Path) -> ModulePath {
    let mut parts: ModulePath =
        relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    let at_root = parts.is_empty() && (stem == "lib" || stem == "main");
    if stem != "mod" && !at_root {
        parts.push(stem.to_owned());
    }
    parts
}

/// The text with comments, string and char literals blanked out (lengths kept).
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push_str(&" ".repeat(end));
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |at| at + 2);
            out.push_str(&blank(&rest[..end]));
            i += end;
        } else if let Some(len) = string_literal_len(rest) {
            out.push_str(&blank(&rest[..len]));
            i += len;
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The code with each inline `#[cfg(test)] mod … { … }` blanked: a test module's `super::`
/// is the file itself, so what it imports is no edge between files.
fn without_test_modules(code: &str) -> String {
    let mut out = code.to_owned();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(test)]").map(|at| from + at) {
        let after = out[at + "#[cfg(test)]".len()..].trim_start();
        let opens_module = after.starts_with("mod ")
            && after.find(['{', ';']).is_some_and(|end| after.as_bytes()[end] == b'{');
        let end = if opens_module { matching_brace_end(&out, at) } else { None };
        match end {
            Some(end) => {
                let blanked = blank(&out[at..end]);
                out.replace_range(at..end, &blanked);
                from = at + blanked.len();
            }
            None => from = at + 1,
        }
    }
    out
}

/// The end (past the `}`) of the block whose `{` is the first after `from`.
fn matching_brace_end(code: &str, from: usize) -> Option<usize> {
    let open = from + code[from..].find('{')?;
    let mut depth = 0usize;
    for (offset, byte) in code.as_bytes()[open..].iter().enumerate() {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + offset + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Blanks `text`, keeping its line breaks.
fn blank(text: &str) -> String {
    text.chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect()
}

/// The length of a string literal (plain, raw `r#"…"#`, byte) starting `rest`, if one does.
fn string_literal_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('b').unwrap_or(rest);
    let prefix = rest.len() - body.len();
    if let Some(raw) = body.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let after = &raw[hashes..];
        if let Some(inside) = after.strip_prefix('"') {
            let closing = format!("\"{}", "#".repeat(hashes));
            let end = inside.find(&closing).map_or(after.len(), |at| at + 1 + closing.len());
            return Some(prefix + 1 + hashes + end);
        }
        return None;
    }
    if !body.starts_with('"') {
        return None;
    }
    let mut escaped = false;
    for (at, c) in body.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(prefix + at + 1),
            _ => {}
        }
    }
    Some(rest.len())
}

/// The `use` statements of `code`, each as its text between `use` and `;`, and whether it is a
/// `pub use` (a re-export).
fn use_statements(code: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("use ") {
        let start = from + at;
        from = start + 4;
        let before = code[..start].trim_end();
        let is_word_start =
            start == 0 || !code[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        if !is_word_start {
            continue;
        }
        let statement_start = before.is_empty()
            || before.ends_with([';', '{', '}', ']'])
            || before.ends_with("pub")
            || before.ends_with(')');
        if !statement_start {
            continue;
        }
        let Some(end) = code[from..].find(';') else { break };
        let is_pub = before.ends_with("pub") || before.ends_with(')');
        // Whitespace dropped, an alias kept apart by `@` (`X as Y` → `X@Y`).
        let words: Vec<&str> = code[from..from + end].split_whitespace().collect();
        let tree = words.join(" ").replace(" as ", "@").replace(' ', "");
        out.push((tree, is_pub));
        from += end;
    }
    out
}

/// Expands a use tree (`crate::a::{b::C,d@e}`) into its paths (`crate::a::b::C`,
/// `crate::a::d@e`: an alias stays after `@`).
fn expand_use_tree(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![tree.to_owned()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .flat_map(expand_use_tree)
        .map(|path| match path.as_str() {
            "self" => prefix.trim_end_matches("::").to_owned(),
            _ => format!("{prefix}{path}"),
        })
        .collect()
}

/// Every module-relative path `code` names, resolved to an absolute module path: from its
/// `use` statements (not re-exports) and from `crate::…` / `super::…` / `self::…` paths in code.
fn imported_paths(
    code: &str,
    module: &ModulePath,
    is_module: &dyn Fn(&ModulePath) -> bool,
) -> Vec<ModulePath> {
    let mut out = Vec::new();
    for (tree, is_pub) in use_statements(code) {
        if is_pub {
            continue;
        }
        for path in expand_use_tree(&tree) {
            let path = path.split('@').next().unwrap_or(&path);
            out.extend(absolute(path, module).or_else(|| child_path(path, module, is_module)));
        }
    }
    let code = without_re_exports(code);
    let code = code.as_str();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(start) {
            let begin = from + at;
            from = begin + start.len();
            if code[..begin].ends_with(|c: char| c.is_alphanumeric() || "_:$".contains(c)) {
                continue;
            }
            let len = code[begin..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(code.len() - begin);
            out.extend(absolute(code[begin..begin + len].trim_end_matches(':'), module));
        }
    }
    out.extend(child_paths_in_code(code, module, is_module));
    out
}

/// A path that starts with the name of a child module of `module` (`collect::Surface` in
/// `codegen/mod.rs`), as an absolute path; `None` for any other path.
fn child_path(
    path: &str,
    module: &ModulePath,
    is_module: &dyn Fn(&ModulePath) -> bool,
) -> Option<ModulePath> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let first = segments.next()?;
    let mut child = module.clone();
    child.push(first.to_owned());
    if !is_module(&child) {
        return None;
    }
    child.extend(segments.filter(|s| *s != "*").map(str::to_owned));
    Some(child)
}

/// Paths in code that start with a child module's name (`collect::walk_table()`).
fn child_paths_in_code(
    code: &str,
    module: &ModulePath,
    is_module: &dyn Fn(&ModulePath) -> bool,
) -> Vec<ModulePath> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("::") {
        let colons = from + at;
        from = colons + 2;
        let start = code[..colons].rfind(|c: char| !is_name(c)).map_or(0, |at| at + 1);
        if start == colons || code[..start].ends_with([':', '$']) {
            continue;
        }
        let end = code[start..]
            .find(|c: char| !(is_name(c) || c == ':'))
            .map_or(code.len(), |at| start + at);
        out.extend(child_path(code[start..end].trim_end_matches(':'), module, is_module));
    }
    out
}

/// `code` with its `pub use` statements blanked: a re-export is the module tree, not a use.
fn without_re_exports(code: &str) -> String {
    let mut out = code.to_owned();
    let mut from = 0;
    while let Some(at) = out[from..].find("pub") {
        let start = from + at;
        from = start + 3;
        let rest = &out[start..];
        let after_visibility = match rest[3..].trim_start().strip_prefix('(') {
            Some(inner) => inner.find(')').map(|close| &inner[close + 1..]),
            None => Some(&rest[3..]),
        };
        let Some(after) = after_visibility else { continue };
        if !after.trim_start().starts_with("use ") {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        out.replace_range(start..start + end, &blank(&rest[..end]));
    }
    out
}

/// `crate::a::b` → `[a, b]`; `super::x` relative to the file's module; `None` for paths that
/// leave the crate (`std::…`, another crate).
fn absolute(path: &str, module: &ModulePath) -> Option<ModulePath> {
    let mut segments = path.split("::").filter(|s| !s.is_empty());
    let mut base = match segments.next()? {
        "crate" => Vec::new(),
        "self" => module.clone(),
        "super" => {
            let mut base = module.clone();
            base.pop();
            base
        }
        _ => return None,
    };
    for segment in segments {
        match segment {
            "super" => {
                base.pop();
            }
            "self" | "*" => {}
            name => base.push(name.to_owned()),
        }
    }
    Some(base)
}

/// The names a file re-exports (`pub use x::Y;` → `Y` → the absolute path of `x::Y`).
fn re_exports(code: &str, module: &ModulePath) -> BTreeMap<String, ModulePath> {
    let mut out = BTreeMap::new();
    for (tree, is_pub) in use_statements(code) {
        if !is_pub {
            continue;
        }
        for leaf in expand_use_tree(&tree) {
            let mut parts = leaf.split('@');
            let path = parts.next().unwrap_or_default().to_owned();
            let alias = parts.next();
            let relative = if path.starts_with("crate::")
                || path.starts_with("super::")
                || path.starts_with("self::")
            {
                path.clone()
            } else {
                format!("self::{path}")
            };
            if let Some(target) = absolute(&relative, module)
                && let Some(name) = alias.map(str::to_owned).or_else(|| target.last().cloned())
            {
                out.insert(name, target);
            }
        }
    }
    out
}

/// Resolves module paths to the files that define them.
struct Resolver<'a> {
    by_module: &'a BTreeMap<ModulePath, PathBuf>,
    exports: &'a BTreeMap<&'a PathBuf, BTreeMap<String, ModulePath>>,
}

impl Resolver<'_> {
    /// The deepest file `path` reaches; an item the file re-exports leads on to the file that
    /// defines it.
    fn file_of(&self, path: &ModulePath, hops: usize) -> Option<PathBuf> {
        for len in (0..=path.len()).rev() {
            let Some(file) = self.by_module.get(&path[..len]) else { continue };
            if let Some(item) = path.get(len)
                && hops < 8
                && let Some(target) = self.exports.get(file).and_then(|names| names.get(item))
            {
                let mut next = target.clone();
                next.extend(path[len + 1..].iter().cloned());
                if let Some(found) = self.file_of(&next, hops + 1) {
                    return Some(found);
                }
            }
            return Some(file.clone());
        }
        None
    }
}

/// The cycles of `graph`: one per strongly connected component of more than one file, as the
/// shortest cycle through its smallest file.
fn find_cycles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Cycle> {
    let mut cycles = Vec::new();
    let mut seen: BTreeSet<&PathBuf> = BTreeSet::new();
    for start in graph.keys() {
        if seen.contains(start) {
            continue;
        }
        if let Some(cycle) = shortest_cycle_through(graph, start) {
            seen.extend(graph.keys().filter(|file| cycle.contains(file)));
            cycles.push(cycle);
        }
    }
    cycles
}

/// The shortest path from `start` back to itself (breadth first), if there is one.
fn shortest_cycle_through(
    graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    start: &PathBuf,
) -> Option<Cycle> {
    let mut parent: BTreeMap<&PathBuf, &PathBuf> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(file) = queue.pop_front() {
        for next in graph.get(file).into_iter().flatten() {
            if next == start {
                let mut cycle = vec![file.clone()];
                let mut at = file;
                while at != start {
                    at = parent[at];
                    cycle.push(at.clone());
                }
                cycle.reverse();
                return Some(cycle);
            }
            if !parent.contains_key(next) {
                parent.insert(next, file);
                queue.push_back(next);
            }
        }
    }
    None
}
