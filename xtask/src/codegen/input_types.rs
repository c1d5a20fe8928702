//! The input forms of the TypeScript declarations: a member of what a client sends is optional
//! (`?:`) exactly when the server's decoder accepts it absent.
//!
//! ts-rs renders one declaration per Rust type and marks a member optional only when it is
//! both defaulted and skipped on output, which is the output contract. What the decoder
//! accepts absent is read from the deserialize contract's JSON Schema of the same type
//! (schemars: an `Option` or a `#[serde(default)]` member is not `required`), the definitions
//! `server-receives.schema.json` is built from; `cargo xtask fixtures` checks both against the
//! decoder itself. Then:
//!
//! - a declaration reached only from what a client sends (params of client requests, results
//!   of server requests, and the types they reach) is rewritten in place;
//! - a declaration reached from both sides whose input form differs (or that refers to such a
//!   type) keeps its output form and gets an input twin `<Name>Input` beside it; input
//!   declarations and the method maps refer to the twin.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use app_server_protocol::Direction;
use serde_json::{Map, Value};

use super::collect::{Surface, TsDecl};
use super::ts_objects::{self, TsObject};

/// The suffix of an input twin's name.
pub const INPUT_SUFFIX: &str = "Input";

/// Rewrites `surface.ts_decls` into their input forms and points the client-sent payloads at
/// them.
pub fn apply(surface: &mut Surface) -> Result<(), String> {
    let decls = &surface.ts_decls;
    let reach_in = reach(decls, payload_paths(surface, Direction::ClientToServer));
    let reach_out = reach(decls, payload_paths(surface, Direction::ServerToClient));
    let own = own_forms(decls, &reach_in, &surface.decode_defs)?;
    let twins = twins(decls, &reach_in, &reach_out, &own);
    let renames: BTreeMap<String, String> = twins
        .iter()
        .map(|path| (decls[path].name.clone(), format!("{}{INPUT_SUFFIX}", decls[path].name)))
        .collect();
    let mut updated = BTreeMap::new();
    for path in &reach_in {
        let text = rename_types(&own[path], &renames);
        let decl = &decls[path];
        if !twins.contains(path) {
            updated.insert(path.clone(), TsDecl { text, ..decl.clone() });
            continue;
        }
        let twin = twin_path(path);
        if decls.contains_key(&twin) {
            return Err(format!(
                "typescript/{}: the input twin of `{}` would replace another type",
                twin.display(),
                decl.name
            ));
        }
        let name = renames[&decl.name].clone();
        let text = twin_doc(&text, &decl.name);
        updated.insert(twin, TsDecl { name, rust_type: decl.rust_type, text });
    }
    surface.ts_decls.extend(updated);
    retarget_payloads(surface, &twins, &renames);
    Ok(())
}

/// The input form of every declaration a client sends, before references are renamed.
fn own_forms(
    decls: &BTreeMap<PathBuf, TsDecl>,
    reach_in: &BTreeSet<PathBuf>,
    defs: &Map<String, Value>,
) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut own = BTreeMap::new();
    let mut errors = Vec::new();
    for path in reach_in {
        match input_form(path, &decls[path].text, defs) {
            Ok(text) => {
                own.insert(path.clone(), text);
            }
            Err(err) => errors.push(format!("typescript/{}: {err}", path.display())),
        }
    }
    if errors.is_empty() {
        Ok(own)
    } else {
        Err(format!("input forms of the TypeScript types:\n  {}", errors.join("\n  ")))
    }
}

/// Points every client-sent payload whose type has an input twin at the twin.
fn retarget_payloads(
    surface: &mut Surface,
    twins: &BTreeSet<PathBuf>,
    renames: &BTreeMap<String, String>,
) {
    for method in &mut surface.methods {
        let meta = method.meta;
        let payloads = [
            (&mut method.params, meta.params_direction()),
            (&mut method.result, meta.result_direction()),
        ];
        for (payload, direction) in payloads {
            let Some(payload) = payload.as_mut() else { continue };
            if direction == Direction::ClientToServer && twins.contains(&payload.ts_path) {
                payload.ts_path = twin_path(&payload.ts_path);
                payload.ts_name = renames[&payload.ts_name].clone();
            }
        }
    }
}

/// The TypeScript files of the payloads that travel `direction`.
fn payload_paths(surface: &Surface, direction: Direction) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for method in &surface.methods {
        let meta = method.meta;
        if let Some(params) = &method.params
            && meta.params_direction() == direction
        {
            paths.push(params.ts_path.clone());
        }
        if let Some(result) = &method.result
            && meta.result_direction() == direction
        {
            paths.push(result.ts_path.clone());
        }
    }
    paths
}

/// Every declaration reached from `roots` through imports.
fn reach(decls: &BTreeMap<PathBuf, TsDecl>, roots: Vec<PathBuf>) -> BTreeSet<PathBuf> {
    let mut seen = BTreeSet::new();
    let mut queue = roots;
    while let Some(path) = queue.pop() {
        let Some(decl) = decls.get(&path) else { continue };
        if seen.insert(path.clone()) {
            queue.extend(imports(&path, &decl.text).into_iter().map(|(_, target)| target));
        }
    }
    seen
}

/// The `import type { Name } from "./path.js";` lines of a declaration: (name, file).
fn imports(path: &Path, text: &str) -> Vec<(String, PathBuf)> {
    let dir = path.parent().unwrap_or(Path::new(""));
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("import type { ")?;
            let (name, rest) = rest.split_once(" } from \"")?;
            let target = rest.strip_suffix("\";")?.strip_suffix(".js")?;
            Some((name.to_owned(), normalize(&dir.join(format!("{target}.ts")))))
        })
        .collect()
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The declarations that need an input twin: reached from both sides, and with an input form
/// of their own or a reference to a type that has a twin.
fn twins(
    decls: &BTreeMap<PathBuf, TsDecl>,
    reach_in: &BTreeSet<PathBuf>,
    reach_out: &BTreeSet<PathBuf>,
    own: &BTreeMap<PathBuf, String>,
) -> BTreeSet<PathBuf> {
    let shared: Vec<&PathBuf> = reach_in.intersection(reach_out).collect();
    let mut twins: BTreeSet<PathBuf> =
        shared.iter().filter(|p| own[**p] != decls[**p].text).map(|p| (*p).clone()).collect();
    loop {
        let more: Vec<PathBuf> = shared
            .iter()
            .filter(|p| !twins.contains(**p))
            .filter(|p| imports(p, &decls[**p].text).iter().any(|(_, q)| twins.contains(q)))
            .map(|p| (*p).clone())
            .collect();
        if more.is_empty() {
            return twins;
        }
        twins.extend(more);
    }
}

fn twin_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    path.with_file_name(format!("{stem}{INPUT_SUFFIX}.ts"))
}

/// The schema definition name of a TypeScript file: `v2/Thread.ts` → `v2.Thread`.
fn definition_name(path: &Path) -> String {
    path.with_extension("").to_string_lossy().replace(['/', '\\'], ".")
}

/// The declaration with `?` on exactly the members its deserialize-contract schema does not
/// require.
fn input_form(path: &Path, text: &str, defs: &Map<String, Value>) -> Result<String, String> {
    let objects = ts_objects::objects(text)?;
    if objects.iter().all(|o| o.members.is_empty()) {
        return Ok(text.to_owned());
    }
    let name = definition_name(path);
    let def = defs.get(&name).ok_or_else(|| format!("no JSON Schema definition `{name}`"))?;
    let mut schemas = Vec::new();
    schema_objects(def, &mut schemas);
    // (offset, insert `?` or remove it), applied back to front.
    let mut edits: Vec<(usize, bool)> = Vec::new();
    for object in objects.iter().filter(|o| !o.members.is_empty()) {
        let required = required_of(object, &schemas)?;
        for member in &object.members {
            let optional = !required.contains(&member.name);
            if optional != member.optional {
                edits.push((member.name_end, optional));
            }
        }
    }
    edits.sort();
    let mut out = text.to_owned();
    for (offset, optional) in edits.into_iter().rev() {
        if optional {
            out.insert(offset, '?');
        } else {
            out.remove(offset);
        }
    }
    Ok(out)
}

/// An object schema of a definition: its member names, the required ones, and the string
/// constant of each member that has one (a tag).
struct SchemaObject {
    members: BTreeSet<String>,
    required: BTreeSet<String>,
    constants: BTreeMap<String, String>,
}

/// Every object schema of a definition, without following `$ref`s.
fn schema_objects(schema: &Value, out: &mut Vec<SchemaObject>) {
    let Some(map) = schema.as_object() else { return };
    if let Some(properties) = map.get("properties").and_then(Value::as_object) {
        let strings = |key: &str| -> BTreeSet<String> {
            map.get(key)
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let constants = properties
            .iter()
            .filter_map(|(name, p)| {
                let constant = p.get("const").or_else(|| {
                    p.get("enum").and_then(Value::as_array).filter(|e| e.len() == 1)?.first()
                })?;
                Some((name.clone(), constant.as_str()?.to_owned()))
            })
            .collect();
        out.push(SchemaObject {
            members: properties.keys().cloned().collect(),
            required: strings("required"),
            constants,
        });
        for inner in properties.values() {
            schema_objects(inner, out);
        }
    }
    for key in ["oneOf", "anyOf", "allOf", "prefixItems"] {
        for inner in map.get(key).and_then(Value::as_array).into_iter().flatten() {
            schema_objects(inner, out);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = map.get(key) {
            schema_objects(inner, out);
        }
    }
}

/// The required members of a TypeScript object: those of the schema object with the same
/// members and the same tags. Several matches must agree.
fn required_of(object: &TsObject, schemas: &[SchemaObject]) -> Result<BTreeSet<String>, String> {
    let members: BTreeSet<String> = object.members.iter().map(|m| m.name.clone()).collect();
    let matches: Vec<&SchemaObject> = schemas
        .iter()
        .filter(|s| s.members == members)
        .filter(|s| {
            object.members.iter().all(|m| match (&m.literal, s.constants.get(&m.name)) {
                (Some(literal), Some(constant)) => literal == constant,
                _ => true,
            })
        })
        .collect();
    let describe = || members.iter().cloned().collect::<Vec<_>>().join(", ");
    let Some(first) = matches.first() else {
        return Err(format!(
            "the object {{ {} }} matches no object of its JSON Schema",
            describe()
        ));
    };
    if matches.iter().any(|s| s.required != first.required) {
        return Err(format!(
            "the object {{ {} }} matches objects of its JSON Schema that require different members",
            describe()
        ));
    }
    Ok(first.required.clone())
}

/// Renames the type names in `renames` wherever the declaration refers to them: imports
/// (name and file) and type expressions; comments and string literals are left alone.
fn rename_types(text: &str, renames: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("import type { ") {
            if let Some((name, _)) = rest.split_once(" } from \"")
                && let Some(new) = renames.get(name)
            {
                out.push_str(
                    &line
                        .replace(&format!("{{ {name} }}"), &format!("{{ {new} }}"))
                        .replace(&format!("/{name}.js\""), &format!("/{new}.js\"")),
                );
                continue;
            }
            out.push_str(line);
            continue;
        }
        out.push_str(line);
    }
    let Some(start) = out.find("export type ") else { return out };
    let (head, body) = out.split_at(start);
    format!("{head}{}", rename_in_body(body, renames))
}

/// Renames identifiers outside comments and string literals.
fn rename_in_body(body: &str, renames: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        let skip = if rest.starts_with("/*") {
            rest.find("*/").map_or(rest.len(), |e| e + 2)
        } else if c == '"' {
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            (i + 1).min(rest.len())
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(rest.len());
            let word = &rest[..len];
            out.push_str(renames.get(word).map_or(word, String::as_str));
            rest = &rest[len..];
            continue;
        } else {
            c.len_utf8()
        };
        out.push_str(&rest[..skip]);
        rest = &rest[skip..];
    }
    out
}

/// The twin's text: its doc comment says what it is and names the output form.
fn twin_doc(text: &str, output_name: &str) -> String {
    let note = format!(
        " * The form a client sends: members the server accepts absent are optional.\n * `{output_name}` is the form the server sends, with every member.\n"
    );
    let Some(start) = text.find("export type ") else { return text.to_owned() };
    let (head, declaration) = text.split_at(start);
    match head.strip_suffix(" */\n") {
        Some(doc) => format!("{doc} *\n{note} */\n{declaration}"),
        None => format!("{head}/**\n{note} */\n{declaration}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_the_schema_does_not_require_become_optional_and_tags_pick_the_variant() {
        let text = "export type U = { \"type\": \"a\", \nx: string | null, \ny?: string, } | { \"type\": \"b\", \nx: string, };\n";
        let defs = json!({ "U": { "oneOf": [
            { "type": "object", "properties": { "type": { "const": "a" }, "x": {}, "y": {} }, "required": ["type", "y"] },
            { "type": "object", "properties": { "type": { "const": "b" }, "x": {} }, "required": ["type", "x"] },
        ] } });
        let form = input_form(Path::new("U.ts"), text, defs.as_object().unwrap()).unwrap();
        assert_eq!(
            form,
            "export type U = { \"type\": \"a\", \nx?: string | null, \ny: string, } | { \"type\": \"b\", \nx: string, };\n"
        );
    }

    #[test]
    fn an_object_without_its_schema_is_an_error() {
        let defs = json!({ "U": { "type": "object", "properties": { "x": {} } } });
        let err = input_form(
            Path::new("U.ts"),
            "export type U = { y: string, };",
            defs.as_object().unwrap(),
        )
        .unwrap_err();
        assert_eq!(err, "the object { y } matches no object of its JSON Schema");
    }

    #[test]
    fn renames_reach_imports_and_types_but_not_comments_or_strings() {
        let text = "import type { A } from \"./A.js\";\nimport type { AB } from \"../AB.js\";\n\n/**\n * Like A.\n */\nexport type T = { \"A\": A, \nb: Array<A> | AB, };\n";
        let renames = BTreeMap::from([("A".to_owned(), "AInput".to_owned())]);
        assert_eq!(
            rename_types(text, &renames),
            "import type { AInput } from \"./AInput.js\";\nimport type { AB } from \"../AB.js\";\n\n/**\n * Like A.\n */\nexport type T = { \"A\": AInput, \nb: Array<AInput> | AB, };\n"
        );
    }
}
