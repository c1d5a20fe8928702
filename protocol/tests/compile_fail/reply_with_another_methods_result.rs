// Answering `thread/start` with the result of `thread/list` must not compile.
use app_server_protocol::method::ThreadStart;
use app_server_protocol::typed::Responder;
use app_server_protocol::{RequestId, v2};

fn main() {
    let responder: Responder<ThreadStart> = Responder::new(RequestId::Integer(1));
    let _ = responder.respond(v2::ThreadListResponse::new(Vec::new()));
}
