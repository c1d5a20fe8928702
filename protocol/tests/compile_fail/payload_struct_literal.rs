// Payload structs are `#[non_exhaustive]`: outside the crate they are built with `new` and
// the `with_*` setters (a member added in a minor release then breaks no caller), and read
// with `..` in patterns.
use app_server_protocol::v2;

fn main() {
    let params = v2::ThreadArchiveParams { thread_id: "thr_1".into() };
    let _ = v2::ThreadListParams { cursor: Some("c".into()), ..Default::default() };
    let v2::ThreadArchiveParams { thread_id } = params;
}
