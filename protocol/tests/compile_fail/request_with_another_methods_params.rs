// Building a `thread/archive` request from `thread/list` params must not compile.
use app_server_protocol::method::ThreadArchive;
use app_server_protocol::typed::Request;
use app_server_protocol::{RequestId, v2};

fn main() {
    let _ = ThreadArchive::message(RequestId::Integer(1), v2::ThreadListParams::default());
}
