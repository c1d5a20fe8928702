//! The type guards: per direction, the message guards (`isServerNotification(message,
//! "turn/completed")`, …), and per tagged union of the types, a validating guard that narrows
//! by tag (`isThreadItem(value, "agentMessage")`).

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;

use app_server_protocol::{Direction, MessageKind};

use super::super::GENERATED_HEADER;
use super::super::collect::{Method, Surface};
use super::constants::family_object;
use super::tables::tag_of;

/// A tagged union of the types: its schema definition, its TypeScript name and folder, and
/// the member that tags it.
pub struct TaggedUnion {
    /// The definition's name in the bundle (`v2.ThreadItem`).
    pub def: String,
    /// The TypeScript type's name (`ThreadItem`).
    pub name: String,
    /// The folder of its declaration, `""` at the root (`v2`).
    pub folder: String,
    /// The tag member (`type`).
    pub tag: String,
}

/// Every definition of the bundle that is a `oneOf` tagged by one member, or an open union
/// tagged so (see [`open_tag`]), and has a TypeScript declaration of the same name, in
/// definition order.
pub fn tagged_unions(bundle: &Value, surface: &Surface) -> Vec<TaggedUnion> {
    let Some(defs) = bundle.get("$defs").and_then(Value::as_object) else { return Vec::new() };
    let mut unions = Vec::new();
    for (def, schema) in defs {
        let tag = schema.get("oneOf").and_then(Value::as_array).and_then(|v| tag_of(v));
        let Some(tag) = tag.or_else(|| open_tag(schema, defs)) else {
            continue;
        };
        let (folder, name) = match def.rsplit_once('.') {
            Some((folder, name)) => (folder.replace('.', "/"), name.to_owned()),
            None => (String::new(), def.clone()),
        };
        let declared = PathBuf::from(&folder).join(format!("{name}.ts"));
        let same_name = surface.ts_decls.get(&declared).is_some_and(|decl| decl.name == name);
        if same_name {
            unions.push(TaggedUnion { def: def.clone(), name, folder, tag });
        }
    }
    unions
}

/// The tag of an open union (`x-open-enum`) whose variants, but the one that takes the tags
/// this version does not know (its tag is a string `not` one of theirs), each fix the tag:
/// `ThreadItem`'s `type`. Its variants are `$ref`s to hoisted definitions (see `tables.rs`).
fn open_tag(schema: &Value, defs: &serde_json::Map<String, Value>) -> Option<String> {
    if schema.get("x-open-enum").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let variants = schema.get("anyOf").or_else(|| schema.get("oneOf"))?.as_array()?;
    let resolved: Vec<&Value> = variants
        .iter()
        .map(|v| match v.get("$ref").and_then(Value::as_str) {
            Some(target) => defs.get(target.strip_prefix("#/$defs/")?),
            None => Some(v),
        })
        .collect::<Option<_>>()?;
    let catch_all = |v: &&Value| {
        v.get("properties").and_then(Value::as_object).is_some_and(|members| {
            members.values().any(|member| member.pointer("/not/enum").is_some())
        })
    };
    let (others, known): (Vec<&Value>, Vec<&Value>) = resolved.into_iter().partition(catch_all);
    let known: Vec<Value> = known.into_iter().cloned().collect();
    let tag = tag_of(&known)?;
    let takes_unknown =
        others.len() == 1 && others[0].pointer(&format!("/properties/{tag}/not/enum")).is_some();
    takes_unknown.then_some(tag)
}

/// The message guards, a guard per method family, and the guards of the root's tagged unions:
/// `runtime/guards.js` and its declarations.
pub fn render_messages(
    unions: &[TaggedUnion],
    methods: &[Method],
    folder: &str,
) -> (String, String) {
    let families: Vec<&Method> = methods.iter().filter(|m| m.meta.family.is_some()).collect();
    let mut js = String::from(GENERATED_HEADER);
    // The constants the method sets are made of: each group's names and its families.
    let mut imports: Vec<String> = GROUPS.iter().map(|(name, ..)| (*name).to_owned()).collect();
    let mut sets = String::new();
    for (name, set, direction, kind) in GROUPS {
        let has_families =
            families.iter().any(|m| m.meta.direction == direction && m.meta.kind == kind);
        let families_arg = if has_families {
            imports.push(family_object(name));
            format!(", {}", family_object(name))
        } else {
            String::new()
        };
        let _ = writeln!(sets, "const {set} = methodSet({name}{families_arg});");
    }
    imports.sort();
    let _ = write!(
        js,
        "import {{\n  {},\n}} from \"./constants.js\";\n{MESSAGE_GUARDS_JS}",
        imports.join(",\n  ")
    );
    js = js.replace("// (method sets)\n", &sets);
    let mut dts = format!("{GENERATED_HEADER}{MESSAGE_GUARDS_D_TS}");
    for method in families {
        family_guard(&mut js, &mut dts, method);
    }
    union_guards(&mut js, &mut dts, unions, folder, "../");
    (js, dts)
}

/// The method sets of the message guards: (constants object, set, sender, kind).
const GROUPS: [(&str, &str, Direction, MessageKind); 4] = [
    ("ClientRequestMethod", "CLIENT_REQUESTS", Direction::ClientToServer, MessageKind::Request),
    ("ServerRequestMethod", "SERVER_REQUESTS", Direction::ServerToClient, MessageKind::Request),
    (
        "ServerNotificationMethod",
        "SERVER_NOTIFICATIONS",
        Direction::ServerToClient,
        MessageKind::Notification,
    ),
    (
        "ClientNotificationMethod",
        "CLIENT_NOTIFICATIONS",
        Direction::ClientToServer,
        MessageKind::Notification,
    ),
];

/// `is<Variant>(message)`: whether a message is a notification (or request) of a method family,
/// any name of it (`isLegacyEvent`); narrows to it.
fn family_guard(js: &mut String, dts: &mut String, method: &Method) {
    let meta = method.meta;
    let (sender, union, message) = match (meta.direction, meta.kind) {
        (Direction::ServerToClient, MessageKind::Notification) => {
            ("the server", "ServerNotification", "ServerMessage")
        }
        (Direction::ServerToClient, MessageKind::Request) => {
            ("the server", "ServerRequest", "ServerMessage")
        }
        (Direction::ClientToServer, MessageKind::Notification) => {
            ("a client", "ClientNotification", "ClientMessage")
        }
        (Direction::ClientToServer, MessageKind::Request) => {
            ("a client", "ClientRequest", "ClientMessage")
        }
    };
    let kind = if meta.kind == MessageKind::Request { "request" } else { "notification" };
    let object = match (meta.direction, meta.kind) {
        (Direction::ServerToClient, MessageKind::Notification) => "ServerNotificationMethod",
        (Direction::ServerToClient, MessageKind::Request) => "ServerRequestMethod",
        (Direction::ClientToServer, MessageKind::Notification) => "ClientNotificationMethod",
        (Direction::ClientToServer, MessageKind::Request) => "ClientRequestMethod",
    };
    let with_id = (meta.kind == MessageKind::Request).to_string();
    let name_type = super::super::family::ts_name_type(meta);
    let values = [
        ("sender", sender),
        ("kind", kind),
        ("family", &meta.display_name()),
        ("variant", meta.variant),
        ("with_id", &with_id),
        ("object", &family_object(object)),
        ("message", message),
        ("union", union),
        ("name_type", &name_type),
    ];
    js.push_str(&fill(FAMILY_GUARD_JS, &values));
    dts.push_str(&fill(FAMILY_GUARD_D_TS, &values));
}

/// `<folder>/runtime.js` and its declarations: the guards of the folder's tagged unions (and,
/// for `v2`, the v2-only method-name constants).
pub fn render_folder(unions: &[TaggedUnion], folder: &str) -> (String, String) {
    let mut js = String::from(GENERATED_HEADER);
    let mut dts = String::from(GENERATED_HEADER);
    let up = "../".repeat(folder.split('/').count());
    if folder == "v2" {
        let names = "V2ClientRequestMethod, V2ServerRequestMethod, V2ServerNotificationMethod, V2ClientNotificationMethod";
        let _ = writeln!(js, "export {{ {names} }} from \"{up}runtime/constants.js\";");
        let _ = writeln!(dts, "export {{ {names} }} from \"{up}runtime/constants.js\";");
    }
    if unions.iter().any(|u| u.folder == folder) {
        let _ = writeln!(js, "import {{ validates }} from \"{up}runtime/decode.js\";");
        union_guards(&mut js, &mut dts, unions, folder, "");
    } else if !js.contains("export") {
        js.push_str("export {};\n");
        dts.push_str("export {};\n");
    }
    (js, dts)
}

/// One validating guard per tagged union of `folder`. `types_prefix` leads from the module to
/// the folder's declarations.
fn union_guards(
    js: &mut String,
    dts: &mut String,
    unions: &[TaggedUnion],
    folder: &str,
    types_prefix: &str,
) {
    for union in unions.iter().filter(|u| u.folder == folder) {
        let TaggedUnion { def, name, tag, .. } = union;
        let def = serde_json::to_string(def).expect("a string serializes");
        let tag_text = serde_json::to_string(tag).expect("a string serializes");
        let values = [
            ("name", name.as_str()),
            ("tag", tag.as_str()),
            ("tag_text", &tag_text),
            ("def", &def),
            ("types_prefix", types_prefix),
        ];
        dts.push_str(&fill(UNION_GUARD_D_TS, &values));
        js.push_str(&fill(UNION_GUARD_JS, &values));
    }
}

/// `template` with each `{{key}}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (key, value)| {
        text.replace(&format!("{{{{{key}}}}}"), value)
    })
}

/// The guard of one tagged union (JavaScript; `{{name}}`, `{{tag}}`, `{{tag_text}}`, `{{def}}`).
const UNION_GUARD_JS: &str =
    include_str!("../../../../runtimes/typescript/templates/union-guard.js");
/// Its declarations (and `{{types_prefix}}`, from the module to the union's declaration).
const UNION_GUARD_D_TS: &str =
    include_str!("../../../../runtimes/typescript/templates/union-guard.d.ts");
/// The guard of one method family (JavaScript).
const FAMILY_GUARD_JS: &str =
    include_str!("../../../../runtimes/typescript/templates/family-guard.js");
/// Its declaration.
const FAMILY_GUARD_D_TS: &str =
    include_str!("../../../../runtimes/typescript/templates/family-guard.d.ts");

/// The message guards (JavaScript): the same for every table, but for the method sets they
/// read from the constants (written where `// (method sets)` stands).
const MESSAGE_GUARDS_JS: &str =
    include_str!("../../../../runtimes/typescript/templates/message-guards.js");

/// The message guards (declarations).
const MESSAGE_GUARDS_D_TS: &str =
    include_str!("../../../../runtimes/typescript/templates/message-guards.d.ts");
