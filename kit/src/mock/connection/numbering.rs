//! Server request ids from 0, as released servers number them. The typed peer numbers the
//! requests it sends from 1; the pumps shift each request's id down by one on its way to the
//! client, and each answer's id up by one on its way back, so that neither side sees the
//! other's numbering.

use serde_json::Value;

/// A server line on its way out: a request (`id` and `method`) with an integer id gets
/// that id minus one; anything else is unchanged.
pub(super) fn outgoing(line: String) -> String {
    // Requests start with their id (the peer writes `id` first); notifications and answers
    // to requests with a `method` member are not touched.
    if !line.starts_with("{\"id\":") {
        return line;
    }
    shift(&line, true, -1).unwrap_or(line)
}

/// A client line on its way in: an answer (`id` and no `method`) with an integer id gets
/// that id plus one; `None` when it is left as it is.
pub(super) fn incoming(line: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(line).ok()?;
    shift(text, false, 1)
}

/// `line` with its integer `id` moved by `by`, when it has (`request`) or has not a
/// `method` member.
fn shift(line: &str, request: bool, by: i64) -> Option<String> {
    let Ok(Value::Object(mut message)) = serde_json::from_str::<Value>(line) else {
        return None;
    };
    if message.contains_key("method") != request {
        return None;
    }
    let id = message.get("id")?.as_i64()?;
    let shifted = id.checked_add(by).filter(|id| *id >= 0)?;
    message.insert("id".to_owned(), Value::from(shifted));
    serde_json::to_string(&Value::Object(message)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_go_out_from_zero_and_answers_come_back_shifted() {
        let out =
            outgoing(r#"{"id":1,"method":"item/fileChange/requestApproval","params":{}}"#.into());
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["id"], 0);
        let back = incoming(br#"{"id":0,"result":{"decision":"accept"}}"#).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&back).unwrap()["id"], 1);
        // Answers to the client's requests and notifications are left alone.
        let answer = r#"{"id":3,"result":{}}"#.to_owned();
        assert_eq!(outgoing(answer.clone()), answer);
        assert_eq!(incoming(br#"{"id":"a","result":{}}"#), None);
        assert_eq!(incoming(br#"{"id":4,"method":"thread/list"}"#), None);
        assert_eq!(incoming(b"not json"), None);
    }
}
