// The responder of a received request answers with its own method's result only, even when
// it comes out of the decoded enum.
use app_server_protocol::{IncomingClientRequest, PendingRequests, decode_client_message, v2};
use app_server_protocol::ClientMessage;

fn main() {
    let line = r#"{"id":1,"method":"thread/archive","params":{"threadId":"thr_1"}}"#;
    let Ok(ClientMessage::Request(request)) = decode_client_message(line, &mut PendingRequests::new()) else {
        return;
    };
    if let IncomingClientRequest::ThreadArchive { responder, .. } = request.into_incoming() {
        let _ = responder.respond(v2::TurnInterruptResponse::new());
    }
}
