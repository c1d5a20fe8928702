//! Collect: walk the method table and gather, in memory, every TypeScript declaration and the
//! JSON Schema of every type a method reaches, per direction contract.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use app_server_protocol::row::{PayloadRole, PayloadVisitor};
use app_server_protocol::v2::ConfigWriteErrorData;
use app_server_protocol::{
    ClientNotificationMethod, ClientRequestMethod, DecodeErrorData, Direction, MethodMeta,
    RequestId, ServerNotificationMethod, ServerRequestMethod,
};
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value};
use ts_rs::{Config, TS, TypeVisitor};

/// Which way a payload travels: params with their method's sender, results back. What
/// travels client → server follows the server's lenient decode contract, what travels
/// server → client its strict encode contract.
pub fn payload_direction(meta: &MethodMeta, role: PayloadRole) -> Direction {
    match role {
        PayloadRole::Params => meta.params_direction(),
        PayloadRole::Result => meta.result_direction(),
    }
}

/// One payload of one method.
#[derive(Debug, Clone)]
pub struct Payload {
    /// The TypeScript name of the payload type.
    pub ts_name: String,
    /// Where the payload type's TypeScript file is, relative to `typescript/`.
    pub ts_path: PathBuf,
    /// `$ref` to the payload type in the bundle of its contract.
    pub schema_ref: Value,
    /// `$ref` to the payload type among the canonical definitions (how its sender encodes it).
    pub canonical_ref: Value,
    /// `$ref` to the payload type among the decode definitions (how its receiver decodes it).
    pub decode_ref: Value,
}

/// A method of the table with its payloads.
#[derive(Debug, Clone)]
pub struct Method {
    /// The row of the method table.
    pub meta: &'static MethodMeta,
    /// The params payload, `None` for methods without params.
    pub params: Option<Payload>,
    /// The result payload of a request.
    pub result: Option<Payload>,
}

/// A TypeScript declaration file produced by ts-rs.
#[derive(Debug, Clone)]
pub struct TsDecl {
    /// The TypeScript type name.
    pub name: String,
    /// The Rust type it was produced from (for collision reports).
    pub rust_type: &'static str,
    /// The file's contents as ts-rs renders them.
    pub text: String,
}

/// Everything codegen renders from.
pub struct Surface {
    /// Every method, in table order: client requests, server requests, server notifications,
    /// client notifications.
    pub methods: Vec<Method>,
    /// Every TypeScript declaration, by path relative to `typescript/`.
    pub ts_decls: BTreeMap<PathBuf, TsDecl>,
    /// Two TypeScript declarations wanted the same file.
    pub ts_collisions: Vec<String>,
    /// The `$defs` of each contract's schema bundle.
    pub schema_defs: BTreeMap<Direction, Map<String, Value>>,
    /// Every type as its sender encodes it (serialize contract), for OpenRPC and the docs.
    pub canonical_defs: Map<String, Value>,
    /// Every type as a receiver decodes it (deserialize contract), whichever way it travels:
    /// what the input forms of the TypeScript are derived from.
    pub decode_defs: Map<String, Value>,
}

/// The ts-rs configuration every file is rendered with: every integer is a `number` (JSON
/// never carries a `bigint`), and imports end in `.js` so `moduleResolution: nodenext` works.
pub fn ts_config() -> Config {
    Config::new().with_large_int("number").with_import_extension(Some("js"))
}

struct Collector {
    ts_config: Config,
    generators: BTreeMap<Direction, SchemaGenerator>,
    canonical: SchemaGenerator,
    decode: SchemaGenerator,
    seen: HashSet<TypeId>,
    ts_decls: BTreeMap<PathBuf, TsDecl>,
    ts_collisions: Vec<String>,
    errors: Vec<String>,
    methods: Vec<Method>,
    current: Option<Method>,
}

impl Collector {
    fn add_ts<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let Some(path) = T::output_path() else {
            // Not a declared type (a `Vec`, an `Option`, a map …): its declared types are
            // among its dependencies and generics.
            T::visit_dependencies(self);
            T::visit_generics(self);
            return;
        };
        match T::export_to_string(&self.ts_config) {
            Ok(text) => {
                let decl = TsDecl {
                    name: T::ident(&self.ts_config),
                    rust_type: std::any::type_name::<T>(),
                    text: super::plain_docs(&text),
                };
                if let Some(previous) = self.ts_decls.get(&path) {
                    // Two Rust types may stand for one TypeScript type (e.g. ts-rs's own JSON
                    // value type and `serde_json::Value`): the same text is no collision.
                    if previous.text == decl.text {
                        return;
                    }
                    self.ts_collisions.push(format!(
                        "`{}` and `{}` both render to typescript/{}",
                        previous.rust_type,
                        decl.rust_type,
                        path.display()
                    ));
                } else {
                    self.ts_decls.insert(path, decl);
                }
            }
            Err(err) => {
                self.errors.push(format!("TypeScript of `{}`: {err}", std::any::type_name::<T>()))
            }
        }
        T::visit_dependencies(self);
    }
}

impl TypeVisitor for Collector {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.add_ts::<T>();
    }
}

impl PayloadVisitor for Collector {
    fn visit<T: TS + schemars::JsonSchema + 'static>(
        &mut self,
        meta: &'static MethodMeta,
        role: PayloadRole,
    ) {
        self.add_ts::<T>();
        let direction = payload_direction(meta, role);
        let generator = self.generators.get_mut(&direction).expect("a generator per direction");
        let payload = Payload {
            ts_name: T::ident(&self.ts_config),
            ts_path: T::output_path().unwrap_or_default(),
            schema_ref: generator.subschema_for::<T>().to_value(),
            canonical_ref: self.canonical.subschema_for::<T>().to_value(),
            decode_ref: self.decode.subschema_for::<T>().to_value(),
        };
        let method = self.current.as_mut().expect("visiting a method");
        match role {
            PayloadRole::Params => method.params = Some(payload),
            PayloadRole::Result => method.result = Some(payload),
        }
    }
}

impl Collector {
    fn method(&mut self, meta: &'static MethodMeta, visit: impl FnOnce(&mut Self)) {
        self.current = Some(Method { meta, params: None, result: None });
        visit(self);
        let method = self.current.take().expect("current method");
        self.methods.push(method);
    }
}

/// Adds the range of its Rust integer type to every integer schema that names a `format`:
/// validators ignore `format`, so without bounds `4294967296` would pass as a `uint32`.
fn integer_bounds(schema: &mut schemars::Schema) {
    let Some(format) = schema.get("format").and_then(Value::as_str) else { return };
    let (min, max): (Value, Value) = match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "uint8" => (0.into(), u8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "uint16" => (0.into(), u16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "uint32" => (0.into(), u32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint64" | "uint" => (0.into(), u64::MAX.into()),
        _ => return,
    };
    if let Some(map) = schema.as_object_mut() {
        map.entry("minimum").or_insert(min);
        map.entry("maximum").or_insert(max);
    }
}

/// Takes a schema's `description` and `title` through [`super::plain_docs`]: they come from
/// rustdoc comments.
pub fn plain_descriptions(schema: &mut schemars::Schema) {
    let Some(map) = schema.as_object_mut() else { return };
    for key in ["description", "title"] {
        if let Some(Value::String(text)) = map.get_mut(key) {
            *text = super::plain_docs(text);
        }
    }
}

/// Walks the whole method table.
pub fn walk_table() -> Result<Surface, String> {
    let settings = SchemaSettings::draft2020_12()
        .with_transform(schemars::transform::RecursiveTransform(integer_bounds))
        .with_transform(schemars::transform::RecursiveTransform(plain_descriptions));
    let generators = BTreeMap::from([
        (Direction::ClientToServer, settings.clone().for_deserialize().into_generator()),
        (Direction::ServerToClient, settings.clone().for_serialize().into_generator()),
    ]);
    let mut collector = Collector {
        ts_config: ts_config(),
        generators,
        canonical: settings.clone().for_serialize().into_generator(),
        decode: settings.for_deserialize().into_generator(),
        seen: HashSet::new(),
        ts_decls: BTreeMap::new(),
        ts_collisions: Vec::new(),
        errors: Vec::new(),
        methods: Vec::new(),
        current: None,
    };
    collector.add_ts::<RequestId>();
    // The `data` of the errors config writes and the decoder answer with: no payload reaches
    // them.
    collector.add_ts::<ConfigWriteErrorData>();
    collector.add_ts::<DecodeErrorData>();
    for method in ClientRequestMethod::ALL {
        collector.method(method.meta(), |c| method.visit_payloads(c));
    }
    for method in ServerRequestMethod::ALL {
        collector.method(method.meta(), |c| method.visit_payloads(c));
    }
    for method in ServerNotificationMethod::ALL {
        collector.method(method.meta(), |c| method.visit_payloads(c));
    }
    for method in ClientNotificationMethod::ALL {
        collector.method(method.meta(), |c| method.visit_payloads(c));
    }
    if !collector.errors.is_empty() {
        return Err(collector.errors.join("\n"));
    }
    let mut schema_defs: BTreeMap<Direction, Map<String, Value>> = collector
        .generators
        .iter_mut()
        .map(|(direction, generator)| {
            generator.subschema_for::<RequestId>();
            generator.subschema_for::<DecodeErrorData>();
            (*direction, generator.take_definitions(true))
        })
        .collect();
    if let Some(receives) = schema_defs.get_mut(&Direction::ClientToServer) {
        super::leniency::apply(receives)?;
    }
    collector.canonical.subschema_for::<RequestId>();
    collector.canonical.subschema_for::<ConfigWriteErrorData>();
    collector.canonical.subschema_for::<DecodeErrorData>();
    let canonical_defs = collector.canonical.take_definitions(true);
    let decode_defs = collector.decode.take_definitions(true);
    Ok(Surface {
        methods: collector.methods,
        ts_decls: collector.ts_decls,
        ts_collisions: collector.ts_collisions,
        schema_defs,
        canonical_defs,
        decode_defs,
    })
}
