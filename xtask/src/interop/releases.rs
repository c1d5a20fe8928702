//! `interop/releases.toml`: the pinned releases (npm spec, the sha256 of the tarball, where the
//! binary is inside it and its sha256), and the small TOML reader the deviation files share.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use toml_edit::{Document, Item, Table};

/// One pinned release of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The version, e.g. `0.66.0` (also the folder of its cache and its deviation file).
    pub version: String,
    /// What `npm pack` fetches, e.g. `@openai/codex@0.66.0`.
    pub npm: String,
    /// The sha256 of the tarball `npm pack` writes (64 lowercase hex digits).
    pub tarball_sha256: String,
    /// The path of the Linux x64 binary inside the tarball.
    pub binary_path: String,
    /// The sha256 of that binary.
    pub binary_sha256: String,
}

/// Reads the release file.
pub fn load(path: &Path) -> Result<Vec<Release>, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    parse(&text).map_err(|err| format!("{}: {err}", path.display()))
}

/// Parses the text of a release file. Errors start with the line number.
pub fn parse(text: &str) -> Result<Vec<Release>, String> {
    const KEYS: &[&str] = &["version", "npm", "tarball_sha256", "binary_path", "binary_sha256"];
    let entries = string_tables(text, "release", KEYS)?;
    let mut releases: Vec<Release> = Vec::new();
    for entry in entries {
        let version = entry.required("version")?;
        if version.is_empty()
            || !version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
            || version.starts_with('.')
        {
            return Err(format!(
                "{}: `version` is `{version}`: expected a version such as `0.66.0` (it names a folder)",
                entry.line_of("version")
            ));
        }
        if let Some(earlier) = releases.iter().find(|r| r.version == version) {
            return Err(format!(
                "{}: release `{}` is listed twice",
                entry.line_of("version"),
                earlier.version
            ));
        }
        let npm = entry.required("npm")?;
        // The registry only: a `name@version` spec, never a URL, a git spec or a local path.
        let from_registry = !npm.contains(|c: char| c == ':' || c == '\\' || c.is_whitespace())
            && !npm.starts_with(['.', '/'])
            && npm.get(1..).is_some_and(|rest| rest.contains('@'));
        if !from_registry {
            return Err(format!(
                "{}: `npm` is `{npm}`: expected a registry spec with its version, such as `@openai/codex@0.66.0`",
                entry.line_of("npm")
            ));
        }
        let binary_path = entry.required("binary_path")?;
        if binary_path.starts_with('/') || binary_path.split('/').any(|part| part == "..") {
            return Err(format!(
                "{}: `binary_path` is `{binary_path}`: expected a relative path inside the tarball (`package/…`)",
                entry.line_of("binary_path")
            ));
        }
        let tarball_sha256 = entry.sha256("tarball_sha256")?;
        let binary_sha256 = entry.sha256("binary_sha256")?;
        releases.push(Release { version, npm, tarball_sha256, binary_path, binary_sha256 });
    }
    if releases.is_empty() {
        return Err("no `[[release]]` entry".to_owned());
    }
    Ok(releases)
}

/// One `[[name]]` table of a file whose values are all strings: each key with its value and
/// its line.
#[derive(Debug)]
pub struct StringTable {
    /// The line of the table's header.
    pub line: usize,
    /// The table's name (for messages).
    name: &'static str,
    fields: BTreeMap<String, (String, usize)>,
}

impl StringTable {
    /// The value of `key`, or an error naming the table's line.
    pub fn required(&self, key: &str) -> Result<String, String> {
        match self.fields.get(key) {
            Some((value, _)) if !value.trim().is_empty() => Ok(value.clone()),
            Some((_, line)) => Err(format!("{line}: `{key}` is empty")),
            None => Err(format!("{}: [[{}]] has no `{key}`", self.line, self.name)),
        }
    }

    /// The value of `key`, if it is there.
    pub fn optional(&self, key: &str) -> Option<String> {
        self.fields.get(key).map(|(value, _)| value.clone())
    }

    /// The line of `key` (the table's line when it is absent).
    pub fn line_of(&self, key: &str) -> usize {
        self.fields.get(key).map_or(self.line, |(_, line)| *line)
    }

    /// The value of `key` as a sha256: 64 lowercase hex digits.
    fn sha256(&self, key: &str) -> Result<String, String> {
        let value = self.required(key)?;
        if value.len() != 64 || !value.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
            return Err(format!(
                "{}: `{key}` is `{value}`: expected a sha256, 64 lowercase hex digits",
                self.line_of(key)
            ));
        }
        Ok(value)
    }
}

/// Reads every `[[name]]` table of `text`: string values only, keys among `keys`, nothing else
/// at the top level. Errors start with the line number (`12: …`).
pub fn string_tables(
    text: &str,
    name: &'static str,
    keys: &[&str],
) -> Result<Vec<StringTable>, String> {
    let document = Document::parse(text).map_err(|err| err.to_string().trim_end().to_owned())?;
    for (key, item) in document.iter() {
        let line = line_of(text, document.key(key).and_then(|k| k.span()));
        if key != name {
            return Err(format!("{line}: unknown key `{key}` (expected `[[{name}]]` entries)"));
        }
        if item.as_array_of_tables().is_none() {
            return Err(format!("{line}: `{name}` must be an array of tables (`[[{name}]]`)"));
        }
    }
    let Some(tables) = document.get(name).and_then(Item::as_array_of_tables) else {
        return Ok(Vec::new());
    };
    tables.iter().map(|table| string_table(text, name, keys, table)).collect()
}

fn string_table(
    text: &str,
    name: &'static str,
    keys: &[&str],
    table: &Table,
) -> Result<StringTable, String> {
    let line = line_of(text, table.span());
    let mut fields = BTreeMap::new();
    for (key, item) in table.iter() {
        let key_line = line_of(text, table.key(key).and_then(|k| k.span())).max(line);
        if !keys.contains(&key) {
            return Err(format!(
                "{key_line}: unknown key `{key}` in [[{name}]] (expected {})",
                keys.join(", ")
            ));
        }
        let Some(value) = item.as_value().and_then(|value| value.as_str()) else {
            return Err(format!("{key_line}: `{key}` must be a string"));
        };
        fields.insert(key.to_owned(), (value.to_owned(), key_line));
    }
    Ok(StringTable { line, name, fields })
}

fn line_of(text: &str, offset: Option<Range<usize>>) -> usize {
    offset.map_or(0, |range| text[..range.start.min(text.len())].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[release]]
version = "0.66.0"
npm = "@openai/codex@0.66.0"
tarball_sha256 = "d3b7f5bd8bb2983faf1f019f09b887ee5edea531afd39674436176de16c25659"
binary_path = "package/vendor/x86_64-unknown-linux-musl/codex/codex"
binary_sha256 = "039603eebdb5a5b621ad6a7a8eb4bb3754d261415865616344c1537da5c2c921"
"#;

    #[test]
    fn reads_a_release() {
        let releases = parse(GOOD).unwrap();
        assert_eq!(releases.len(), 1);
        assert_eq!(releases[0].version, "0.66.0");
        assert_eq!(releases[0].npm, "@openai/codex@0.66.0");
        assert_eq!(releases[0].binary_path, "package/vendor/x86_64-unknown-linux-musl/codex/codex");
        assert!(releases[0].tarball_sha256.starts_with("d3b7f5"));
    }

    #[test]
    fn the_committed_file_lists_both_releases() {
        let path = crate::ci::workspace_root().join("interop/releases.toml");
        let versions: Vec<String> = load(&path).unwrap().into_iter().map(|r| r.version).collect();
        for pinned in ["0.63.0", "0.66.0"] {
            assert!(versions.iter().any(|v| v == pinned), "{pinned} in {versions:?}");
        }
    }

    #[test]
    fn refuses_what_is_wrong_with_its_line() {
        let short = GOOD.replace("d3b7f5bd8bb2983f", "d3b7");
        let err = parse(&short).unwrap_err();
        assert!(err.starts_with("5: `tarball_sha256` is `d3b7"), "{err}");
        assert!(err.contains("64 lowercase hex digits"), "{err}");

        let upper = GOOD.replace("039603eebdb5", "039603EEBDB5");
        assert!(parse(&upper).unwrap_err().contains("`binary_sha256`"));

        let missing = GOOD.replace("npm = \"@openai/codex@0.66.0\"\n", "");
        assert_eq!(parse(&missing).unwrap_err(), "2: [[release]] has no `npm`");

        let unknown = GOOD.replace("npm =", "npmm =");
        assert!(parse(&unknown).unwrap_err().contains("unknown key `npmm` in [[release]]"));

        let twice = format!("{GOOD}{GOOD}");
        assert!(parse(&twice).unwrap_err().contains("release `0.66.0` is listed twice"));

        let escape = GOOD.replace("package/vendor", "../vendor");
        assert!(parse(&escape).unwrap_err().contains("a relative path inside the tarball"));

        let url = GOOD.replace("\"@openai/codex@0.66.0\"", "\"https://example.com/codex.tgz\"");
        assert!(parse(&url).unwrap_err().contains("expected a registry spec"));

        let folder = GOOD.replace("version = \"0.66.0\"", "version = \"../x\"");
        assert!(parse(&folder).unwrap_err().contains("`version` is `../x`"));

        let number = GOOD.replace("version = \"0.66.0\"", "version = 66");
        assert!(parse(&number).unwrap_err().contains("`version` must be a string"));

        assert!(parse("").unwrap_err().contains("no `[[release]]` entry"));
        assert!(parse("[release]\nversion = \"1\"").unwrap_err().contains("array of tables"));
        assert!(parse("version = ").is_err());
    }
}
