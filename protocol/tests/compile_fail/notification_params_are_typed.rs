// A notification is built from its own params type only.
use app_server_protocol::method::TurnCompleted;
use app_server_protocol::typed::Notification;
use app_server_protocol::v2;

fn main() {
    let _ = TurnCompleted::message(v2::ThreadArchiveParams::new("thr_1"));
}
