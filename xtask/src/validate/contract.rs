//! The contract of each sender, per method: what the server sends is checked against the
//! strict output contract (the sends bundle: every member required, `null` when absent), what
//! a client sends against the input contract (the receives bundle: exactly what the server's
//! decoder accepts, legacy forms included).
//!
//! Both bundles are rendered in memory from the Rust types, as `cargo xtask codegen` renders
//! `generated/schema/` (which `codegen --check` keeps equal to them): the contract is then
//! always the one of the decoder built into this binary, and `validate` needs no checkout.
//! Each bundle gets one entry per request method for its response (e.g.
//! `ClientRequestResponse.ThreadList`: the bundle's response envelope with that method's
//! result). A message is validated against the entry of its method; [`super::members`] may
//! need to try an alternative of a union on its own. Each such validator is compiled from the
//! bundle's registry when first needed (a fraction of a millisecond) and kept: memory holds
//! the validators of the methods a transcript uses, not of every subschema.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use app_server_protocol::{Direction, MessageKind};
use jsonschema::{Registry, Validator};
use serde_json::{Value, json};

use crate::codegen::schema::BUNDLES;
use crate::codegen::{OutputFiles, Surface};

use super::explain::{Problem, problems};
use super::members::{self, Schemas};

/// What a message is, for choosing its entry in the contract of its sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// A request.
    Request,
    /// A notification.
    Notification,
    /// A successful answer to a request.
    Response,
    /// A failed answer to a request.
    Error,
}

impl Form {
    /// The form in words.
    pub fn name(self) -> &'static str {
        match self {
            Form::Request => "request",
            Form::Notification => "notification",
            Form::Response => "response",
            Form::Error => "error response",
        }
    }
}

/// What checking one message against its contract found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Where the message breaks the contract and what was expected there.
    pub errors: Vec<Problem>,
    /// The paths of members the contract does not know (only looked for in a message that
    /// keeps the contract), e.g. `result.thread.newMember`.
    pub unknown: Vec<String>,
    /// Values of open types the contract does not know (a newer peer's), with the type:
    /// (`params.item`, `v2.ThreadItem`).
    pub open: Vec<(String, String)>,
}

/// The compiled contracts of both senders.
pub struct Contracts {
    /// What the server sends (the sends bundle).
    server: Bundle,
    /// What a client sends (the receives bundle).
    client: Bundle,
}

/// One sender's bundle, ready to compile validators from.
struct Bundle {
    /// Who sends the messages it checks.
    sender: Direction,
    /// The bundle, with an entry per response added. Boxed and never changed, so that the
    /// address of each subschema stays the same for the process: it keys `conditions`.
    schema: Box<Value>,
    /// The bundle's `$id`: pointers into it are compiled as `<id>#<pointer>`.
    id: String,
    /// The bundle as a registry, to compile a validator of any of its subschemas.
    registry: Registry<'static>,
    /// (form, row of the method table: its canonical name, a family's prefix) → the pointer
    /// of the entry the message is checked against; see [`Bundle::entry`].
    entries: HashMap<(Form, &'static str), String>,
    /// The pointer of each alternative of an `anyOf`/`oneOf` and of each `if` condition, by
    /// the address of its schema: what [`super::members`] may have to try on its own.
    conditions: HashMap<usize, String>,
    /// The validators compiled so far, by pointer.
    compiled: Mutex<HashMap<String, Arc<Validator>>>,
}

/// The row of the method table that `name`, a `form` sent by `sender`, is (by its canonical
/// name, or for a method family its prefix): what a bundle's entries are keyed by.
fn row_of(sender: Direction, form: Form, name: &str) -> Option<&'static str> {
    use app_server_protocol::{
        ClientNotificationMethod, ClientRequestMethod, ServerNotificationMethod,
        ServerRequestMethod,
    };
    match (sender, form) {
        (Direction::ClientToServer, Form::Request)
        | (Direction::ServerToClient, Form::Response) => {
            ClientRequestMethod::from_wire(name).map(ClientRequestMethod::wire_name)
        }
        (Direction::ServerToClient, Form::Request)
        | (Direction::ClientToServer, Form::Response) => {
            ServerRequestMethod::from_wire(name).map(ServerRequestMethod::wire_name)
        }
        (Direction::ServerToClient, Form::Notification) => {
            ServerNotificationMethod::from_wire(name).map(ServerNotificationMethod::wire_name)
        }
        (Direction::ClientToServer, Form::Notification) => {
            ClientNotificationMethod::from_wire(name).map(ClientNotificationMethod::wire_name)
        }
        (_, Form::Error) => None,
    }
}

/// The entry every error response is checked against, in both bundles.
const ERROR_ENTRY: &str = "#/$defs/ErrorResponse";

impl Contracts {
    /// The contracts, built once per process (a fraction of a second): every later call
    /// shares them.
    pub fn shared() -> Result<&'static Contracts, String> {
        static CONTRACTS: OnceLock<Result<Contracts, String>> = OnceLock::new();
        CONTRACTS.get_or_init(Contracts::build).as_ref().map_err(Clone::clone)
    }

    /// Renders both bundles from the Rust types and compiles them.
    pub fn build() -> Result<Contracts, String> {
        let surface = crate::codegen::collect()?;
        let rendered = crate::codegen::schema::render(&surface, &mut OutputFiles::new());
        let mut server = None;
        let mut client = None;
        for (spec, (path, schema)) in BUNDLES.iter().zip(rendered) {
            let bundle = Bundle::compile(spec.sender, schema, &surface)
                .map_err(|err| format!("{}: {err}", path.display()))?;
            match spec.sender {
                Direction::ServerToClient => server = Some(bundle),
                Direction::ClientToServer => client = Some(bundle),
            }
        }
        match (server, client) {
            (Some(server), Some(client)) => Ok(Contracts { server, client }),
            _ => Err("codegen rendered no bundle for one of the senders".to_owned()),
        }
    }

    /// Checks `message`, a `form` of `method` sent by `sender`, against that sender's
    /// contract. `method` is the request's or notification's method as it travels (an alias,
    /// a name of a method family such as `codex/event/task_started`), or the method of the
    /// request a response answers; it is not used for error responses.
    pub fn check(&self, sender: Direction, form: Form, method: &str, message: &Value) -> Verdict {
        let bundle = match sender {
            Direction::ServerToClient => &self.server,
            Direction::ClientToServer => &self.client,
        };
        let Some(entry) = bundle.entry(form, method) else {
            let expected = format!("the contract has no {} of `{method}`", form.name());
            return Verdict { errors: vec![Problem::whole(expected)], ..Verdict::default() };
        };
        let validator = match bundle.validator(entry) {
            Ok(validator) => validator,
            Err(err) => return Verdict { errors: vec![Problem::whole(err)], ..Verdict::default() },
        };
        let renamed;
        let message = match family_member(bundle.resolve(entry), method, message) {
            Some(member) => {
                renamed = member;
                &renamed
            }
            None => message,
        };
        if validator.is_valid(message) {
            let found =
                bundle.resolve(entry).map(|schema| members::unknown(bundle, schema, message));
            let (unknown, open) = found.unwrap_or_default();
            return Verdict { errors: Vec::new(), unknown, open };
        }
        let errors = validator.iter_errors(message).flat_map(|err| problems(&err, message));
        Verdict { errors: errors.collect(), ..Verdict::default() }
    }

    /// Compiles the entry of every message of both senders (what a run compiles only when
    /// it meets the message).
    #[cfg(test)]
    pub fn compile_all(&self) -> Result<usize, String> {
        let mut count = 0;
        for bundle in [&self.server, &self.client] {
            for entry in bundle.entries.values().map(String::as_str).chain([ERROR_ENTRY]) {
                bundle.validator(entry)?;
                count += 1;
            }
        }
        Ok(count)
    }
}

impl Bundle {
    /// Adds the response entries to the bundle of `sender` and indexes its conditions.
    fn compile(sender: Direction, mut schema: Value, surface: &Surface) -> Result<Bundle, String> {
        let entries = add_entries(sender, &mut schema, surface)?;
        if let Some(defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) {
            super::open::admit_unknown(defs);
        }
        let id = schema.get("$id").and_then(Value::as_str).ok_or("the bundle has no `$id`")?;
        let id = id.to_owned();
        let registry = Registry::new()
            .add(&id, schema.clone())
            .and_then(|builder| builder.prepare())
            .map_err(|err| format!("cannot be registered: {err}"))?;
        let schema = Box::new(schema);
        let mut conditions = HashMap::new();
        index_conditions(&schema, &mut String::from("#"), &mut conditions);
        Ok(Bundle { sender, schema, id, registry, entries, conditions, compiled: Mutex::default() })
    }

    /// The pointer of the entry a `form` of `method` is checked against: the method is looked
    /// up in the method table (`from_wire`: aliases, and names of a method family, answer to
    /// their row), never by its name alone.
    fn entry(&self, form: Form, method: &str) -> Option<&str> {
        let row = match form {
            Form::Error => return Some(ERROR_ENTRY),
            _ => row_of(self.sender, form, method)?,
        };
        self.entries.get(&(form, row)).map(String::as_str)
    }

    /// The subschema at a URI-fragment pointer (`#/$defs/v2.Turn`). A definition is looked
    /// up by name, without taking the pointer apart: most of the walk's time went there.
    fn resolve_pointer(&self, pointer: &str) -> Option<&Value> {
        let pointer = pointer.strip_prefix('#')?;
        match pointer.strip_prefix("/$defs/") {
            Some(name) if !name.contains(['/', '~']) => self.schema.get("$defs")?.get(name),
            _ => self.schema.pointer(pointer),
        }
    }

    /// The validator of the subschema at `pointer`, compiled on first use.
    fn validator(&self, pointer: &str) -> Result<Arc<Validator>, String> {
        let mut compiled = self.compiled.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(validator) = compiled.get(pointer) {
            return Ok(validator.clone());
        }
        let root = json!({ "$ref": format!("{}{pointer}", self.id) });
        let validator = jsonschema::draft202012::options()
            .with_registry(&self.registry)
            .build(&root)
            .map_err(|err| format!("the contract's `{pointer}` does not compile: {err}"))?;
        let validator = Arc::new(validator);
        compiled.insert(pointer.to_owned(), validator.clone());
        Ok(validator)
    }
}

impl Schemas for Bundle {
    fn resolve(&self, pointer: &str) -> Option<&Value> {
        self.resolve_pointer(pointer)
    }

    fn fits(&self, schema: &Value, value: &Value) -> Option<bool> {
        let pointer = self.conditions.get(&address(schema))?;
        self.validator(pointer).ok().map(|validator| validator.is_valid(value))
    }
}

/// A message of a method family (`codex/event/task_complete` of the family `codex/event/`),
/// renamed to the family's name when the entry's schema names the family by that one constant:
/// the message is then checked as a member of the family. (Its own name the decoder has
/// checked already: the suffix must be the member the family names, `msg.type`.) `None` when
/// the message needs no renaming.
fn family_member(entry: Option<&Value>, family: &str, message: &Value) -> Option<Value> {
    let constant = entry?.pointer("/properties/method/const")?.as_str()?;
    let name = message.get("method")?.as_str()?;
    if constant != family || name == family || !name.starts_with(family) {
        return None;
    }
    let mut renamed = message.clone();
    renamed["method"] = Value::String(family.to_owned());
    Some(renamed)
}

/// Records the pointer of every alternative of an `anyOf`/`oneOf` and of every `if` under
/// `value`, found at `pointer`, by the address of its schema.
fn index_conditions(value: &Value, pointer: &mut String, out: &mut HashMap<usize, String>) {
    let len = pointer.len();
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match (key.as_str(), member) {
                    ("anyOf" | "oneOf", Value::Array(alternatives)) => {
                        for (i, alternative) in alternatives.iter().enumerate() {
                            out.insert(address(alternative), format!("{pointer}/{i}"));
                        }
                    }
                    ("if", condition) => {
                        out.insert(address(condition), pointer.clone());
                    }
                    _ => {}
                }
                index_conditions(member, pointer, out);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointer.push_str(&format!("/{i}"));
                index_conditions(item, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The address of a subschema of a bundle: it identifies the subschema for the process.
fn address(schema: &Value) -> usize {
    std::ptr::from_ref(schema) as usize
}

/// The entries of `sender`'s messages, by form and method: the bundle's own entry of each
/// request and notification `sender` sends (`ServerNotification.TurnCompleted`), and a new
/// entry for the response to each request the other side sends
/// (`ClientRequestResponse.ThreadList`), made from the bundle's response envelope.
fn add_entries(
    sender: Direction,
    schema: &mut Value,
    surface: &Surface,
) -> Result<HashMap<(Form, &'static str), String>, String> {
    let (requests, notifications, responses) = match sender {
        Direction::ClientToServer => {
            ("ClientRequest", "ClientNotification", "ServerRequestResponse")
        }
        Direction::ServerToClient => {
            ("ServerRequest", "ServerNotification", "ClientRequestResponse")
        }
    };
    let defs = schema
        .get_mut("$defs")
        .and_then(Value::as_object_mut)
        .ok_or("the bundle has no `$defs`")?;
    let envelope =
        defs.get(responses).cloned().ok_or_else(|| format!("the bundle has no `{responses}`"))?;
    let mut entries = HashMap::new();
    for method in &surface.methods {
        let meta = method.meta;
        let (form, name) = if meta.direction == sender {
            match meta.kind {
                MessageKind::Request => (Form::Request, format!("{requests}.{}", meta.variant)),
                MessageKind::Notification => {
                    (Form::Notification, format!("{notifications}.{}", meta.variant))
                }
            }
        } else if let Some(result) = &method.result {
            let name = format!("{responses}.{}", meta.variant);
            let mut entry = envelope.clone();
            entry["description"] = format!("The successful answer to `{}`.", meta.wire_name).into();
            entry["properties"]["result"] = result.schema_ref.clone();
            defs.insert(name.clone(), entry);
            (Form::Response, name)
        } else {
            continue;
        };
        if !defs.contains_key(&name) {
            return Err(format!("the bundle has no `{name}`"));
        }
        entries.insert((form, meta.wire_name), format!("#/$defs/{name}"));
    }
    Ok(entries)
}
