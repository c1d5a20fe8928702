//! Open enums and unions (`x-open-enum`) in the TypeScript declarations: ts-rs leaves out the
//! Rust catch-all (`#[ts(skip)]`), but the TypeScript decoder returns what a newer server sent
//! as it came — an effort or plan this version does not know, an item of a kind it does not
//! know. The declarations say so:
//!
//! - an open enum of strings gets `| (string & {})`: any string, while editors still offer
//!   the known values (`"low" | "medium" | "high" | (string & {})`);
//! - an open union tagged by `type` gets `| UnknownVariant` (declared once, `UnknownVariant.ts`
//!   at the root, as the Rust `app_server_protocol::UnknownVariant`): every member `unknown`,
//!   and its `type` an `UnknownKind` — a string at run time, typed apart from `string`.
//!
//! Why not `type: string & { __unknownKind?: never }`: TypeScript finds any type with a
//! `string` in it comparable to every string literal, so `item.type === "agentMessage"` (and
//! `switch`) would no longer narrow the union at all (checked with TypeScript 5.9 and 7.0).
//! A type that is not a string is comparable to no tag: narrowing on `type` yields exactly the
//! known variant, and the `default` branch gets `UnknownVariant`. The price is in that branch
//! only: its `type` is read as a string with `String(item.type)` or `` `${item.type}` ``.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::GENERATED_HEADER;

/// The declaration of an unknown variant of an open union, relative to `typescript/` (without
/// `.d.ts`, as the declarations' paths are kept).
pub const UNKNOWN_VARIANT_PATH: &str = "UnknownVariant.ts";

/// The name of that type.
pub const UNKNOWN_VARIANT: &str = "UnknownVariant";

/// The type of its `type`, declared beside it.
pub const UNKNOWN_KIND: &str = "UnknownKind";

/// The tag member every open union of this protocol has.
const TAG: &str = "type";

/// How an open type's declaration is widened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Strings: `| (string & {})`.
    Strings,
    /// A union tagged by `type`: `| UnknownVariant`.
    Union,
}

/// The open types by the path of their declaration (`v2/ThreadItem.ts`), from the canonical
/// definitions (`v2.ThreadItem`). A definition that is neither strings nor tagged by `type`
/// is an error: its declaration could not say what a newer server may send.
pub fn open_types(defs: &Map<String, Value>) -> Result<BTreeMap<PathBuf, Open>, String> {
    let mut open = BTreeMap::new();
    for (name, def) in defs {
        if def.get("x-open-enum").and_then(Value::as_bool) != Some(true) {
            continue;
        }
        let (folder, local) = match name.rsplit_once('.') {
            Some((folder, local)) => (folder.replace('.', "/"), local),
            None => (String::new(), name.as_str()),
        };
        let kind = kind_of(def).ok_or_else(|| {
            format!("open type `{name}`: neither an enum of strings nor a union tagged by `{TAG}`")
        })?;
        open.insert(Path::new(&folder).join(format!("{local}.ts")), kind);
    }
    Ok(open)
}

fn kind_of(def: &Value) -> Option<Open> {
    if def.get("enum").is_some() {
        return Some(Open::Strings);
    }
    let variants = def.get("oneOf").or_else(|| def.get("anyOf"))?.as_array()?;
    if variants.iter().any(|v| v.get("const").is_some_and(Value::is_string)) {
        return Some(Open::Strings);
    }
    let tagged = !variants.is_empty()
        && variants.iter().all(|v| v.pointer(&format!("/properties/{TAG}/const")).is_some());
    tagged.then_some(Open::Union)
}

/// The declaration of `name` at `path` (ts-rs's text, our header) widened as `open` says.
pub fn widen(text: &str, path: &Path, name: &str, open: Open) -> Result<String, String> {
    let body = text.trim_end();
    let end =
        body.strip_suffix(';')
            .filter(|_| body.contains(&format!("export type {name} = ")))
            .ok_or_else(|| format!("{}: no `export type {name} = …;` to widen", path.display()))?;
    let mut out = match open {
        Open::Strings => format!("{end} | (string & {{}});\n"),
        Open::Union => format!("{end} | {UNKNOWN_VARIANT};\n"),
    };
    if open == Open::Union {
        let up = "../".repeat(path.components().count().saturating_sub(1));
        let target = Path::new(UNKNOWN_VARIANT_PATH).with_extension("js");
        let from = if up.is_empty() { "./".to_owned() } else { up };
        let import =
            format!("import type {{ {UNKNOWN_VARIANT} }} from \"{from}{}\";\n", target.display());
        // After the header and ts-rs's imports.
        let mut at = out.find('\n').map_or(0, |i| i + 1);
        while out[at..].starts_with("import ") {
            at += out[at..].find('\n').map_or(out.len() - at, |i| i + 1);
        }
        out.insert_str(at, &import);
    }
    Ok(out)
}

/// `UnknownVariant.d.ts`.
pub fn unknown_variant_decl() -> String {
    format!(
        "{GENERATED_HEADER}
/**
 * The `type` of an `{UNKNOWN_VARIANT}`: a string at run time (`String(kind)`, `` `${{kind}}` ``, its
 * string methods), typed apart from `string` so that TypeScript tells it from every known tag:
 * that keeps `switch (item.type)` narrowing to the known variants.
 */
export interface {UNKNOWN_KIND} extends String {{ readonly __unknownKind: true }}

/**
 * A variant of an open union (`ThreadItem`, `CommandAction`, …) that this version does not
 * know — a newer server's — as it came: every member, the `type` tag included (an
 * `UnknownKind`). Narrowing on `type` yields the known variants; the `default` branch of a
 * `switch` gets this type. Show it generically or skip it; it is sent back unchanged.
 */
export type {UNKNOWN_VARIANT} = {{ readonly type: UnknownKind; readonly [member: string]: unknown }};
"
    )
}
