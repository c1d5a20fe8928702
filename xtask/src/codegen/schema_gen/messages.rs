//! The message definitions of the generator bundle: per direction, a definition per request
//! and notification (its `method` a `const`), the groups that select one by `method` (a
//! `oneOf` with a discriminator), the response, and the direction's root. A method family
//! (`codex/event/{type}`: its `method` a `pattern`) has no one value to discriminate by: it
//! stands beside its group in the root.

use std::collections::BTreeMap;

use app_server_protocol::{Direction, MessageKind};
use serde_json::{Map, Value, json};

use super::flat_ref;
use crate::codegen::collect::{Method, Surface};

struct Messages<'a> {
    surface: &'a Surface,
    names: &'a BTreeMap<String, String>,
    defs: &'a mut Map<String, Value>,
    errors: &'a mut Vec<String>,
}

/// Adds the message definitions of both directions, their roots and the error response.
pub fn add(
    surface: &Surface,
    names: &BTreeMap<String, String>,
    defs: &mut Map<String, Value>,
    errors: &mut Vec<String>,
) {
    let mut messages = Messages { surface, names, defs, errors };
    for (side, sender) in
        [("Client", Direction::ClientToServer), ("Server", Direction::ServerToClient)]
    {
        let mut families = messages.group(side, sender, MessageKind::Request, "Request");
        families.extend(messages.group(side, sender, MessageKind::Notification, "Notification"));
        messages.response(side, sender);
        messages.root(side, families);
    }
    messages.error_response();
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

impl Messages<'_> {
    fn insert(&mut self, name: String, schema: Value) {
        if self.defs.insert(name.clone(), schema).is_some() {
            self.errors
                .push(format!("generator bundle: the message `{name}` has the name of a type"));
        }
    }

    /// The requests or notifications one side sends, and their group; returns the references
    /// to the definitions of its method families, which the group leaves out.
    fn group(
        &mut self,
        side: &str,
        sender: Direction,
        kind: MessageKind,
        group: &str,
    ) -> Vec<Value> {
        let surface = self.surface;
        let mut refs = Vec::new();
        let mut families = Vec::new();
        let mut mapping = Map::new();
        for method in
            surface.methods.iter().filter(|m| m.meta.direction == sender && m.meta.kind == kind)
        {
            let name = format!("{side}{group}{}", method.meta.variant);
            if method.meta.family.is_some() {
                families.push(reference(&name));
            } else {
                mapping.insert(method.meta.wire_name.to_owned(), json!(format!("#/$defs/{name}")));
                refs.push(reference(&name));
            }
            let entry = self.entry(method, kind);
            self.insert(name, entry);
        }
        let (what, who) = (group.to_lowercase(), side.to_lowercase());
        let mut description = format!("Every {what} a {who} sends; `method` selects the shape.");
        if !families.is_empty() {
            description.push_str(&format!(
                " The method families (a name per value of a member of their params) are beside this group in `{side}Message`."
            ));
        }
        self.insert(
            format!("{side}{group}"),
            json!({
                "description": description,
                "oneOf": refs,
                "discriminator": { "propertyName": "method", "mapping": mapping },
            }),
        );
        families
    }

    /// One request or notification: `id` (requests), `method` as a `const`, `params`.
    fn entry(&self, method: &Method, kind: MessageKind) -> Value {
        let mut properties = Map::new();
        let mut required = vec![json!("method")];
        if kind == MessageKind::Request {
            properties.insert("id".to_owned(), reference("RequestId"));
            required.insert(0, json!("id"));
        }
        let wire_name = match crate::codegen::family::pattern(method.meta) {
            Some(pattern) => json!({
                "type": "string",
                "pattern": pattern,
                "description": crate::codegen::family::description(method.meta),
            }),
            None => json!({ "type": "string", "const": method.meta.wire_name }),
        };
        properties.insert("method".to_owned(), wire_name);
        if let Some(params) = &method.params {
            properties.insert("params".to_owned(), flat_ref(&params.canonical_ref, self.names));
            required.push(json!("params"));
        }
        let doc = crate::codegen::method_doc(method.meta);
        let mut entry = json!({
            "description": doc,
            "type": "object",
            "properties": properties,
            "required": required,
        });
        if let Some(note) = crate::codegen::deprecation(method.meta) {
            entry["deprecated"] = json!(true);
            entry["description"] = json!(format!("{doc}\n\nDeprecated: {note}"));
        }
        entry
    }

    /// The successful answers one side sends to the other side's requests: one definition per
    /// method (`ServerResponseThreadStart`), its `result` that method's result type, and the
    /// generic one the root lists (`ServerResponse`, any object as `result`), since an answer
    /// names no method: its receiver types it by the request it sent.
    fn response(&mut self, side: &str, sender: Direction) {
        let answered = sender.reverse();
        let who = side.to_lowercase();
        let surface = self.surface;
        for method in surface
            .methods
            .iter()
            .filter(|m| m.meta.direction == answered && m.meta.kind == MessageKind::Request)
        {
            let Some(result) = &method.result else { continue };
            let description = format!(
                "The successful answer a {who} sends to `{}`: read an answer with this definition when the request it answers (same `id`) was `{}`.",
                method.meta.wire_name, method.meta.wire_name
            );
            self.insert(
                format!("{side}Response{}", method.meta.variant),
                json!({
                    "description": description,
                    "type": "object",
                    "properties": {
                        "id": reference("RequestId"),
                        "result": flat_ref(&result.canonical_ref, self.names),
                    },
                    "required": ["id", "result"],
                }),
            );
        }
        self.insert(
            format!("{side}Response"),
            json!({
                "description": format!("The successful answer a {who} sends to a request. An answer names no method: its result is typed by the answered request's method, with that method's definition (`{side}Response<Method>`)."),
                "type": "object",
                "properties": { "id": reference("RequestId"), "result": { "type": "object" } },
                "required": ["id", "result"],
            }),
        );
    }

    /// The root of one direction: any message that side sends (its method families beside
    /// their groups).
    fn root(&mut self, side: &str, families: Vec<Value>) {
        let kinds = ["Request", "Notification"].map(|k| reference(&format!("{side}{k}")));
        let mut any_of = kinds.to_vec();
        any_of.extend(families);
        if side == "Server" {
            any_of.push(self.unknown_notification());
        }
        any_of.push(reference(&format!("{side}Response")));
        any_of.push(reference("ErrorResponse"));
        let who = side.to_lowercase();
        self.insert(
            format!("{side}Message"),
            json!({ "description": format!("One JSON-RPC message a {who} sends."), "anyOf": any_of }),
        );
    }

    /// A notification of a method no table of this version knows — a newer server's, which a
    /// client keeps (adding a notification is a safe change): any `method` but the known ones,
    /// any object as `params`.
    fn unknown_notification(&mut self) -> Value {
        let known: Vec<&str> = self
            .surface
            .methods
            .iter()
            .filter(|m| m.meta.direction == Direction::ServerToClient && m.meta.family.is_none())
            .map(|m| m.meta.wire_name)
            .collect();
        self.insert(
            "UnknownServerNotification".to_owned(),
            json!({
                "description": "A notification whose method this version does not know (a newer server's): its method and params as they came. A client keeps it; nothing about it is typed.",
                "type": "object",
                "properties": {
                    "method": { "type": "string", "not": { "enum": known } },
                    "params": { "type": "object" },
                },
                "required": ["method"],
            }),
        );
        reference("UnknownServerNotification")
    }

    /// The failed answer to a request, which both sides send.
    fn error_response(&mut self) {
        self.insert(
            "ErrorResponse".to_owned(),
            json!({
                "description": "The failed answer to a request.",
                "type": "object",
                "properties": { "id": reference("RequestId"), "error": reference("JsonRpcError") },
                "required": ["id", "error"],
            }),
        );
        self.insert("JsonRpcError".to_owned(), json!({
            "description": "The `error` member of an error response.",
            "type": "object",
            "properties": {
                "code": { "type": "integer", "description": "The JSON-RPC error code, e.g. -32602 for invalid params." },
                "message": { "type": "string", "description": "A human-readable description of the error." },
                "data": { "description": "Structured detail defined by the method; omitted when there is none." },
            },
            "required": ["code", "message"],
        }));
    }
}
