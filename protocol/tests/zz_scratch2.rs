use app_server_protocol::*;
#[test]
fn probe() {
    for l in [r#"[7,"account/logout"]"#, r#"[7,"thread/archive",{"threadId":"t"}]"#, r#"["initialized"]"#, r#"[null,"initialized"]"#,
              r#"{"id":1,"method":"thread/list","params":["c1",5]}"#] {
        let r = decode_client_message(l, &mut PendingRequests::new());
        println!("{l} => {:?}", r.map(|m| m.to_line().unwrap()));
    }
}
