//! Bad input gets what a real server sends, and the connection keeps serving: -32700 lines
//! (no id can be read) are dropped, -32600 / -32601 / -32602 are answered with the path in
//! `error.data`, requests before `initialize` are refused, and a second `initialize` too.

mod mock_support;

use mock_support::{RawMock, bounded};
use serde_json::json;

#[tokio::test]
async fn bad_lines_are_answered_or_dropped_and_the_connection_goes_on() {
    bounded(30, async {
        let mut mock = RawMock::spawn(&["--speed", "0"]);
        let early = mock.call("thread/list", json!({})).await;
        assert_eq!(early["error"]["code"], -32600, "{early}");
        assert!(early["error"]["message"].as_str().unwrap().contains("not initialized"));
        let init = mock
            .call("initialize", json!({ "clientInfo": { "name": "bad", "version": "1" } }))
            .await;
        assert!(init["result"]["userAgent"].as_str().unwrap().contains("bad; 1"), "{init}");
        mock.send(r#"{"method":"initialized"}"#).await;
        let again = mock
            .call("initialize", json!({ "clientInfo": { "name": "bad", "version": "1" } }))
            .await;
        assert_eq!(again["error"]["code"], -32600, "{again}");

        // Not JSON, a truncated line, an array: no id can be read, nothing is answered.
        mock.send("this is not json").await;
        mock.send(r#"{"id":7,"method":"thread/list","#).await;
        mock.send("[1,2]").await;
        // Not UTF-8 (a byte 0xff inside a string): -32700, never read as text.
        mock.send_bytes(b"{\"id\":20,\"method\":\"thread/list\",\"params\":{\"cursor\":\"\xff\"}}")
            .await;
        // -32600: a method that is not a string.
        mock.send(r#"{"id":8,"method":123}"#).await;
        let answer = mock.answer(&json!(8)).await;
        assert_eq!(answer["error"]["code"], -32600, "{answer}");
        assert_eq!(answer["error"]["data"]["path"], "method");
        // -32601: an unknown method, and a method only the server sends.
        for (id, method) in [(9, "thread/frobnicate"), (10, "turn/completed")] {
            mock.send(&json!({ "id": id, "method": method, "params": {} }).to_string()).await;
            let answer = mock.answer(&json!(id)).await;
            assert_eq!(answer["error"]["code"], -32601, "{answer}");
        }
        // -32602 with the path: a wrong type, limit 0, positional params.
        for (id, params, path) in [
            (11, json!({ "threadId": 7 }), "params.threadId"),
            (12, json!({ "limit": 0 }), "params.limit"),
            (13, json!(["thr_1"]), "params"),
        ] {
            let method = if id == 12 { "thread/list" } else { "thread/archive" };
            mock.send(&json!({ "id": id, "method": method, "params": params }).to_string()).await;
            let answer = mock.answer(&json!(id)).await;
            assert_eq!(answer["error"]["code"], -32602, "{answer}");
            assert_eq!(answer["error"]["data"]["path"], path, "{answer}");
        }
        // A bad cursor is -32602 at params.cursor.
        let cursor = mock.call("thread/list", json!({ "cursor": "not-a-cursor" })).await;
        assert_eq!(cursor["error"]["data"]["path"], "params.cursor", "{cursor}");
        // The connection still serves.
        let list = mock.call("thread/list", json!({})).await;
        assert_eq!(list["result"], json!({ "data": [], "nextCursor": null }));
        assert!(mock.skipped.is_empty(), "nothing else was written: {:?}", mock.skipped);
        assert!(mock.finish().await.success());
    })
    .await;
}
