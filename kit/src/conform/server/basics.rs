//! Scenarios `handshake`, `errors` and `aliases`: the handshake, the error codes of bad
//! requests, and the deprecated method aliases.

use serde_json::{Value, json};

use super::catalogue::v2_methods;
use super::{Abort, During, handshake, start};
use crate::conform::session::{Answer, Session};

/// Scenario `handshake`: `initialize` is answered with a `userAgent`.
pub async fn handshake_scenario(session: &mut Session) -> Result<(), Abort> {
    const CHECK: &str = "handshake.initialize";
    let answer = handshake(session).await.during(CHECK)?;
    match answer.result().and_then(|result| result.get("userAgent")) {
        Some(Value::String(_)) => session.recorder.pass(CHECK),
        _ => session.recorder.fail(
            CHECK,
            session.scenario,
            "expected a result with a string `userAgent`",
            Some(&answer.line),
        ),
    }
    Ok(())
}

/// Scenario `errors`: -32601, -32602 with a path, positional params, and a server that
/// keeps serving after garbage.
pub async fn errors_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let unknown = session
        .request("conform/noSuchMethod", Some(json!({})))
        .await
        .during("errors.unknown-method")?;
    expect_code(session, "errors.unknown-method", &unknown, -32601, None);

    let params = json!({ "threadId": 42 });
    let invalid =
        session.request("thread/archive", Some(params)).await.during("errors.invalid-params")?;
    expect_code(session, "errors.invalid-params", &invalid, -32602, Some("params.threadId"));

    let positional = session
        .request("turn/interrupt", Some(json!(["thr_conform", "turn_conform"])))
        .await
        .during("errors.positional-params")?;
    expect_code(session, "errors.positional-params", &positional, -32602, None);

    const KEEPS: &str = "errors.keeps-serving";
    session.send_line("{this is not JSON").await.during(KEEPS)?;
    let after = session.request("account/read", Some(json!({}))).await.during(KEEPS)?;
    if after.result().is_some() || after.error_code().is_some() {
        session.recorder.pass(KEEPS);
    }
    Ok(())
}

/// Records whether `answer` is an error with `code` (and, when given, `error.data.path`).
fn expect_code(
    session: &mut Session,
    check: &'static str,
    answer: &Answer,
    code: i64,
    path: Option<&str>,
) {
    let scenario = session.scenario;
    match (answer.error_code(), path) {
        (Some(found), _) if found != code => session.recorder.fail(
            check,
            scenario,
            format!("expected error code {code}, found {found}"),
            Some(&answer.line),
        ),
        (None, _) => session.recorder.fail(
            check,
            scenario,
            format!("expected an error with code {code}, found a result"),
            Some(&answer.line),
        ),
        (Some(_), Some(path)) if answer.error_path() != Some(path) => session.recorder.fail(
            check,
            scenario,
            format!("expected `error.data.path` to be \"{path}\""),
            Some(&answer.line),
        ),
        (Some(_), _) => session.recorder.pass(check),
    }
}

/// Scenario `aliases`: every deprecated alias of a v2 method is answered like the method
/// (anything but -32601; -32602 would mean the alias is not mapped to its params).
pub async fn aliases_scenario(session: &mut Session) -> Result<(), Abort> {
    const CHECK: &str = "aliases.accepted";
    start(session).await?;
    for meta in v2_methods() {
        for alias in meta.aliases {
            let params = super::methods::alias_params(meta);
            let answer = session.request(alias, Some(params)).await.during(CHECK)?;
            match answer.error_code() {
                Some(_) if answer.refuses_as_unknown(alias) => session.recorder.fail(
                    CHECK,
                    session.scenario,
                    format!(
                        "`{alias}` (alias of `{}`) is not served: the server answers that it does not know the method ({})",
                        meta.wire_name,
                        answer.error_words()
                    ),
                    Some(&answer.line),
                ),
                Some(code @ (-32601 | -32602)) => session.recorder.fail(
                    CHECK,
                    session.scenario,
                    format!("`{alias}` (alias of `{}`) was answered {code}", meta.wire_name),
                    Some(&answer.line),
                ),
                _ => session.recorder.pass(CHECK),
            }
        }
    }
    Ok(())
}
