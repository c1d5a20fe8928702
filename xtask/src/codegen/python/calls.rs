//! `_calls.py`: the typed surface of the Python `Client` — an overload of `request` per
//! client request, of `notify` per client notification and of `on_request` per server request,
//! from the method table, so that a type checker infers each result. The class head and the
//! bodies are in `templates/`.

use app_server_protocol::{Direction, MessageKind};

use super::render::{HEADER, payload_expr};
use super::templates;
use crate::codegen::collect::Method;

/// One typed function of the client: the signatures of its rows, the signature of its
/// implementation when it has many, and the body template.
struct Function {
    signatures: Vec<String>,
    generic: &'static str,
    body: &'static str,
}

/// The text of `_calls.py`.
pub fn module(methods: &[Method]) -> String {
    let rows = |direction: Direction, kind: MessageKind| -> Vec<&Method> {
        methods
            .iter()
            .filter(|m| {
                m.meta.direction == direction && m.meta.kind == kind && m.meta.family.is_none()
            })
            .collect()
    };
    let request = Function {
        signatures: rows(Direction::ClientToServer, MessageKind::Request)
            .into_iter()
            .map(|method| {
                let (wire, params, result) = parts(method);
                let params = params.map_or("params: None = None".to_owned(), |p| format!("params: {p}"));
                format!("async def request(self, method: Literal[{wire}], {params}, *, timeout: float | None = None) -> {result}:")
            })
            .collect(),
        generic: "async def request(self, method: str, params: Any = None, *, timeout: float | None = None) -> Any:",
        body: templates::CALLS_REQUEST,
    };
    let notify = Function {
        signatures: rows(Direction::ClientToServer, MessageKind::Notification)
            .into_iter()
            .map(|method| {
                let (wire, params, _) = parts(method);
                let params =
                    params.map_or("params: None = None".to_owned(), |p| format!("params: {p}"));
                format!("async def notify(self, method: Literal[{wire}], {params}) -> None:")
            })
            .collect(),
        generic: "async def notify(self, method: str, params: Any = None) -> None:",
        body: templates::CALLS_NOTIFY,
    };
    let on_request = Function {
        signatures: rows(Direction::ServerToClient, MessageKind::Request)
            .into_iter()
            .map(|method| {
                let (wire, params, result) = parts(method);
                let params = params.unwrap_or_else(|| "None".to_owned());
                format!("def on_request(self, method: Literal[{wire}], handler: Callable[[{params}], Awaitable[{result}] | {result}]) -> None:")
            })
            .collect(),
        generic: "def on_request(self, method: str, handler: Callable[[Any], Any]) -> None:",
        body: templates::CALLS_ON_REQUEST,
    };
    let mut text = format!("{HEADER}{}", templates::CALLS_HEAD);
    for function in [request, notify, on_request] {
        text.push_str(&function_text(&function));
    }
    text
}

/// Overloads and the implementation; a function of one row is that row's signature alone (an
/// overload must have company).
fn function_text(function: &Function) -> String {
    let mut text = String::new();
    let signature = match function.signatures.as_slice() {
        [only] => only.as_str(),
        many => {
            for signature in many {
                text.push_str(&format!("\n    @overload\n    {signature} ...\n"));
            }
            function.generic
        }
    };
    let body = templates::fill(function.body, &[("signature", &format!("    {signature}"))]);
    text.push('\n');
    text.push_str(&body);
    text
}

/// The quoted wire name, the params type (`None` when the method has none) and the result type.
fn parts(method: &Method) -> (String, Option<String>, String) {
    let params = method.params.as_ref().map(|p| payload_expr(Some(&p.schema_ref)));
    let result = payload_expr(method.result.as_ref().map(|p| &p.schema_ref));
    (super::names::string(method.meta.wire_name), params, result)
}
