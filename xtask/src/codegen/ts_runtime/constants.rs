//! The method-name constants: one frozen object per direction and kind, keyed by the table's
//! variant, each member documented with the method's doc comment and `@deprecated` note, and
//! a v2-only object beside each (the methods a v2 client uses: v2 and the shared handshake).

use std::fmt::Write as _;

use app_server_protocol::{ApiGeneration, Direction, MessageKind, Stability};

use super::super::collect::Method;
use super::super::ts_doc::doc_comment;
use super::super::{GENERATED_HEADER, deprecation, method_doc};

/// One constant object: its name and which methods it holds.
struct Group {
    name: &'static str,
    doc: &'static str,
    direction: Direction,
    kind: MessageKind,
}

const GROUPS: [Group; 4] = [
    Group {
        name: "ClientRequestMethod",
        doc: "The wire names of the requests a client sends to the server.",
        direction: Direction::ClientToServer,
        kind: MessageKind::Request,
    },
    Group {
        name: "ServerRequestMethod",
        doc: "The wire names of the requests the server sends to a client (approvals).",
        direction: Direction::ServerToClient,
        kind: MessageKind::Request,
    },
    Group {
        name: "ServerNotificationMethod",
        doc: "The wire names of the notifications the server sends to clients.",
        direction: Direction::ServerToClient,
        kind: MessageKind::Notification,
    },
    Group {
        name: "ClientNotificationMethod",
        doc: "The wire names of the notifications a client sends to the server.",
        direction: Direction::ClientToServer,
        kind: MessageKind::Notification,
    },
];

/// `runtime/constants.js` and `runtime/constants.d.ts`.
pub fn render(methods: &[Method]) -> (String, String) {
    let mut js = String::from(GENERATED_HEADER);
    let mut dts = String::from(GENERATED_HEADER);
    for group in &GROUPS {
        let all: Vec<&Method> = methods
            .iter()
            .filter(|m| m.meta.direction == group.direction && m.meta.kind == group.kind)
            .collect();
        let v2: Vec<&Method> =
            all.iter().copied().filter(|m| m.meta.api != ApiGeneration::V1).collect();
        let full_doc = format!(
            "{}\n\nKeyed by the method's name in the Rust method table; each member is the canonical wire name.",
            group.doc
        );
        let v2_doc = format!(
            "{}\n\nOnly the methods a v2 client uses: API v2 and the shared handshake, no v1 (`{}` has them all).",
            group.doc, group.name
        );
        object(&mut js, &mut dts, group.name, &full_doc, &all);
        object(&mut js, &mut dts, &format!("V2{}", group.name), &v2_doc, &v2);
    }
    (js, dts)
}

/// The name of the object holding the method families of the object `name`
/// (`ServerNotificationMethod` → `ServerNotificationFamily`).
pub fn family_object(name: &str) -> String {
    name.replace("Method", "Family")
}

/// One frozen object in JavaScript, its declaration, and the union of its values as a type of
/// the same name. A method family (`MethodMeta::family`) is not a wire name: it goes into a
/// second object of prefixes (see [`family_object`]), and the type has its template literal.
fn object(js: &mut String, dts: &mut String, name: &str, doc: &str, methods: &[&Method]) {
    let (families, names): (Vec<&Method>, Vec<&Method>) =
        methods.iter().partition(|m| m.meta.family.is_some());
    members(js, dts, name, doc, &names);
    let mut names_type = format!("(typeof {name})[keyof typeof {name}]");
    if !families.is_empty() {
        let families_name = family_object(name);
        let families_doc = format!(
            "The method families of `{name}`: each member is the prefix every name of its family starts with; a name of the family is the prefix followed by a non-empty suffix its params name (`{}`).",
            families[0].meta.display_name()
        );
        members(js, dts, &families_name, &families_doc, &families);
        let _ = write!(
            names_type,
            " | `${{(typeof {families_name})[keyof typeof {families_name}]}}${{string}}`"
        );
    }
    let _ = writeln!(dts, "/** A wire name of `{name}` (the names of its families included). */");
    let _ = writeln!(dts, "export type {name} = {names_type};\n");
}

/// The frozen object `name` of `methods`' wire names (a family's: its prefix), and its
/// declaration.
fn members(js: &mut String, dts: &mut String, name: &str, doc: &str, methods: &[&Method]) {
    js.push_str(&doc_comment(doc, "", None));
    let _ = writeln!(js, "export const {name} = Object.freeze({{");
    dts.push_str(&doc_comment(doc, "", None));
    let _ = writeln!(dts, "export declare const {name}: {{");
    for method in methods {
        let meta = method.meta;
        let wire = serde_json::to_string(meta.wire_name).expect("a string serializes");
        let _ = writeln!(js, "  {}: {wire},", meta.variant);
        dts.push_str(&doc_comment(&member_doc(method), "  ", deprecation(meta).as_deref()));
        let _ = writeln!(dts, "  readonly {}: {wire};", meta.variant);
    }
    js.push_str("});\n\n");
    dts.push_str("};\n");
}

/// A member's documentation: the method's doc, then its wire name, API generation, stability
/// and the aliases still accepted on input.
fn member_doc(method: &Method) -> String {
    let meta = method.meta;
    let mut doc = method_doc(meta);
    let api = match meta.api {
        ApiGeneration::Shared => "v1 and v2",
        ApiGeneration::V1 => "v1",
        ApiGeneration::V2 => "v2",
    };
    if let Some(family) = super::super::family::description(meta) {
        let _ = write!(doc, "\n\n{family}");
    }
    let what = if meta.family.is_some() { "Prefix of the wire names" } else { "Wire name" };
    let _ = write!(doc, "\n\n{what} `{}` (API {api}", meta.wire_name);
    if meta.stability == Stability::Experimental {
        doc.push_str(", experimental: it may change or disappear in any release");
    }
    doc.push_str(").");
    if !meta.aliases.is_empty() {
        let aliases: Vec<String> = meta.aliases.iter().map(|a| format!("`{a}`")).collect();
        let _ = write!(doc, " Also accepted on input as {}.", aliases.join(", "));
    }
    doc
}
