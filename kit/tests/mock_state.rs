//! The mock is stateful and consistent: threads page as the pagination contract says, over
//! several page sizes; archive removes a thread from the listing; login cancel is idempotent;
//! config writes go to a real file with its comments kept and conflicts answered with their
//! code; `model/list` marks exactly the default model.

mod mock_support;

use mock_support::{RawMock, bounded};
use serde_json::{Value, json};

/// Every thread id of the listing, following cursors with pages of `limit`; checks that each
/// page is full unless it is the last.
async fn list_all(mock: &mut RawMock, limit: u64, extra: Value) -> Vec<String> {
    let (mut ids, mut cursor) = (Vec::new(), Value::Null);
    loop {
        let mut params = json!({ "limit": limit });
        if let Value::Object(extra) = &extra {
            params.as_object_mut().unwrap().extend(extra.clone());
        }
        if !cursor.is_null() {
            params["cursor"] = cursor.clone();
        }
        let answer = mock.call("thread/list", params).await;
        let page = &answer["result"];
        let data = page["data"].as_array().unwrap_or_else(|| panic!("{answer}"));
        ids.extend(data.iter().map(|thread| thread["id"].as_str().unwrap().to_owned()));
        cursor = page["nextCursor"].clone();
        if cursor.is_null() {
            return ids;
        }
        assert_eq!(data.len() as u64, limit, "a page before the last is full: {answer}");
    }
}

#[tokio::test]
async fn thread_list_pages_are_full_with_next_cursor_null_exactly_at_the_end() {
    bounded(60, async {
        let mut mock = RawMock::initialized(&["--speed", "0", "--seed", "1"]).await;
        let mut created = Vec::new();
        for index in 0..23 {
            let provider = if index % 4 == 0 { "azure" } else { "openai" };
            let answer = mock.listed_thread(json!({ "modelProvider": provider })).await;
            created.push((answer["result"]["thread"]["id"].as_str().unwrap().to_owned(), provider));
        }
        let newest_first: Vec<String> = created.iter().rev().map(|(id, _)| id.clone()).collect();
        for limit in [1, 2, 5, 7, 22, 23, 24, 100] {
            assert_eq!(
                list_all(&mut mock, limit, Value::Null).await,
                newest_first,
                "limit {limit}"
            );
        }
        // Filtered by provider: still full pages.
        let openai: Vec<String> = created
            .iter()
            .rev()
            .filter(|(_, provider)| *provider == "openai")
            .map(|(id, _)| id.clone())
            .collect();
        assert_eq!(list_all(&mut mock, 4, json!({ "modelProviders": ["openai"] })).await, openai);
        // Archived threads leave the listing, and pages stay full.
        for (id, _) in created.iter().step_by(3) {
            let answer = mock.call("thread/archive", json!({ "threadId": id })).await;
            assert_eq!(answer["result"], json!({}), "{answer}");
        }
        let left: Vec<String> = created
            .iter()
            .enumerate()
            .rev()
            .filter(|(index, _)| index % 3 != 0)
            .map(|(_, (id, _))| id.clone())
            .collect();
        for limit in [1, 3, 6] {
            assert_eq!(
                list_all(&mut mock, limit, Value::Null).await,
                left,
                "limit {limit} after archiving"
            );
        }
        // An archived thread can still be resumed; an unknown one cannot.
        let resumed = mock.call("thread/resume", json!({ "threadId": created[0].0 })).await;
        assert_eq!(resumed["result"]["thread"]["id"], created[0].0.as_str(), "{resumed}");
        let unknown = mock.call("thread/archive", json!({ "threadId": "thr_nope" })).await;
        assert_eq!(unknown["error"]["code"], -32600, "{unknown}");
        // The default page size is 25.
        let default = mock.call("thread/list", json!({})).await;
        assert_eq!(default["result"]["data"].as_array().unwrap().len(), left.len().min(25));
        // limit 0 is refused.
        let zero = mock.call("thread/list", json!({ "limit": 0 })).await;
        assert_eq!(
            (zero["error"]["code"].clone(), zero["error"]["data"]["path"].clone()),
            (json!(-32602), json!("params.limit"))
        );
        // v1 listConversations pages the same threads.
        let v1 = mock.call("listConversations", json!({ "pageSize": 100 })).await;
        let v1_ids: Vec<&str> = v1["result"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["conversationId"].as_str().unwrap())
            .collect();
        assert_eq!(v1_ids, left.iter().map(String::as_str).collect::<Vec<_>>());
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn login_cancel_is_idempotent_in_v2_and_not_in_v1() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let login = mock.call("account/login/start", json!({ "type": "chatgpt" })).await;
        let login_id = login["result"]["loginId"].as_str().unwrap().to_owned();
        assert!(login["result"]["authUrl"].as_str().unwrap().starts_with("https://"), "{login}");
        let first = mock.call("account/login/cancel", json!({ "loginId": login_id })).await;
        assert_eq!(first["result"], json!({ "status": "canceled" }));
        for _ in 0..2 {
            let again = mock.call("account/login/cancel", json!({ "loginId": login_id })).await;
            assert_eq!(again["result"], json!({ "status": "notFound" }));
        }
        let unknown =
            mock.call("account/login/cancel", json!({ "loginId": "never-started" })).await;
        assert_eq!(unknown["result"], json!({ "status": "notFound" }));
        // v1: a pending login is cancelled with {}, an unknown one is an error.
        let v1 = mock.call("loginChatGpt", Value::Null).await;
        let v1_id = v1["result"]["loginId"].as_str().unwrap().to_owned();
        assert_eq!(
            mock.call("cancelLoginChatGpt", json!({ "loginId": v1_id })).await["result"],
            json!({})
        );
        let twice = mock.call("cancelLoginChatGpt", json!({ "loginId": v1_id })).await;
        assert_eq!(twice["error"]["code"], -32600, "{twice}");
        mock.finish().await;
    })
    .await;
}

#[tokio::test]
async fn config_writes_keep_comments_and_answer_conflicts_with_their_code() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let read = mock.call("config/read", json!({ "includeLayers": true })).await;
        let result = &read["result"];
        assert_eq!(result["config"]["model"], Value::Null, "no model configured: {read}");
        assert_eq!(result["config"]["approval_policy"], "on-request");
        let layer = &result["layers"][0];
        let file = layer["name"]["file"].as_str().unwrap().to_owned();
        let version = layer["version"].as_str().unwrap().to_owned();
        assert_eq!(result["origins"]["sandbox_workspace_write.network_access"]["name"]["type"], "user");
        let before = std::fs::read_to_string(&file).unwrap();

        let write = json!({ "keyPath": "model", "value": "gpt-5.1-codex", "mergeStrategy": "replace", "expectedVersion": version });
        let written = mock.call("config/value/write", write.clone()).await;
        assert_eq!(written["result"]["status"], "ok", "{written}");
        assert_eq!(written["result"]["filePath"], file.as_str());
        let after = std::fs::read_to_string(&file).unwrap();
        assert!(after.contains("model = \"gpt-5.1-codex\""), "{after}");
        let comments = |text: &str| text.lines().filter(|line| line.contains('#')).map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(comments(&after), comments(&before), "every comment is kept");

        // The same expectedVersion again: the file changed since.
        let conflict = mock.call("config/value/write", write).await;
        assert_eq!(conflict["error"]["code"], -32600, "{conflict}");
        assert_eq!(conflict["error"]["data"]["configWriteErrorCode"], "configVersionConflict");

        let batch = json!({ "edits": [
            { "keyPath": "model_reasoning_effort", "value": "high", "mergeStrategy": "replace" },
            { "keyPath": "mcp_servers.docs.args", "value": ["-y", "docs-mcp@2"], "mergeStrategy": "upsert" },
        ], "expectedVersion": written["result"]["version"] });
        let batched = mock.call("config/batchWrite", batch).await;
        assert_eq!(batched["result"]["status"], "ok", "{batched}");
        let reread = mock.call("config/read", json!({})).await;
        assert_eq!(reread["result"]["config"]["model"], "gpt-5.1-codex");
        assert_eq!(reread["result"]["config"]["model_reasoning_effort"], "high");
        assert_eq!(reread["result"]["config"]["mcp_servers"]["docs"]["args"], json!(["-y", "docs-mcp@2"]));
        assert_eq!(reread["result"]["layers"], Value::Null);
        // An invalid value and another file are refused with their codes.
        let invalid = mock.call("config/value/write", json!({ "keyPath": "approval_policy", "value": "sometimes", "mergeStrategy": "replace" })).await;
        assert_eq!(invalid["error"]["data"]["configWriteErrorCode"], "configValidationError", "{invalid}");
        let elsewhere = mock.call("config/batchWrite", json!({ "edits": [], "filePath": "/etc/passwd" })).await;
        assert_eq!(elsewhere["error"]["data"]["configWriteErrorCode"], "configLayerReadonly", "{elsewhere}");
        // v1 sees the same file.
        let saved = mock.call("getUserSavedConfig", Value::Null).await;
        assert_eq!(saved["result"]["config"]["model"], "gpt-5.1-codex", "{saved}");
        mock.finish().await;
        assert!(!std::path::Path::new(&file).exists(), "the temporary folder is removed at exit");
    })
    .await;
}

#[tokio::test]
async fn model_list_marks_exactly_the_default_model_and_pages() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let all = mock.call("model/list", json!({})).await;
        let models = all["result"]["data"].as_array().unwrap().clone();
        let defaults: Vec<&str> = models
            .iter()
            .filter(|m| m["isDefault"] == true)
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(defaults, ["codex-auto-balanced"], "{all}");
        assert_eq!(all["result"]["nextCursor"], Value::Null);
        let first = mock.call("model/list", json!({ "limit": 3 })).await;
        assert_eq!(first["result"]["data"].as_array().unwrap().len(), 3);
        let rest = mock
            .call("model/list", json!({ "limit": 3, "cursor": first["result"]["nextCursor"] }))
            .await;
        assert_eq!(rest["result"]["data"].as_array().unwrap().len(), models.len() - 3);
        assert_eq!(rest["result"]["nextCursor"], Value::Null);
        // A new thread without a model runs on the default one.
        let thread = mock.call("thread/start", json!({})).await;
        assert_eq!(thread["result"]["model"], "codex-auto-balanced");
        mock.finish().await;
    })
    .await;
}

/// Reads lines until a notification of `method`; returns its params.
async fn notification(mock: &mut RawMock, method: &str) -> Value {
    if let Some(index) = mock.skipped.iter().position(|line| line["method"] == method) {
        return mock.skipped.remove(index)["params"].clone();
    }
    loop {
        let line = mock.next_json().await.expect("more lines");
        if line["method"] == method && line.get("id").is_none() {
            return line["params"].clone();
        }
    }
}

#[tokio::test]
async fn logins_logouts_and_mcp_oauth_are_announced() {
    bounded(30, async {
        let mut mock = RawMock::initialized(&["--speed", "0"]).await;
        let account = mock.call("account/read", json!({})).await;
        assert_eq!(account["result"]["account"]["type"], "chatgpt", "{account}");
        let login = mock
            .call("account/login/start", json!({ "type": "apiKey", "apiKey": "sk-test" }))
            .await;
        assert_eq!(login["result"], json!({ "type": "apiKey" }));
        let completed = notification(&mut mock, "account/login/completed").await;
        assert_eq!(completed, json!({ "loginId": null, "success": true, "error": null }));
        assert_eq!(
            notification(&mut mock, "account/updated").await,
            json!({ "authMode": "apikey" })
        );
        assert_eq!(
            mock.call("account/read", json!({})).await["result"]["account"],
            json!({ "type": "apiKey" })
        );
        assert_eq!(mock.call("account/logout", Value::Null).await["result"], json!({}));
        assert_eq!(notification(&mut mock, "account/updated").await, json!({ "authMode": null }));
        assert_eq!(mock.call("account/read", json!({})).await["result"]["account"], Value::Null);

        let oauth = mock.call("mcpServer/oauth/login", json!({ "name": "github" })).await;
        assert!(
            oauth["result"]["authorizationUrl"].as_str().unwrap().starts_with("https://"),
            "{oauth}"
        );
        let done = notification(&mut mock, "mcpServer/oauthLogin/completed").await;
        assert_eq!(done, json!({ "name": "github", "success": true, "error": null }));
        let unknown = mock.call("mcpServer/oauthLogin", json!({ "name": "nope" })).await;
        assert_eq!(
            unknown["error"]["code"], -32600,
            "the alias is served, the server unknown: {unknown}"
        );
        mock.finish().await;
    })
    .await;
}
