//! The `config.toml` that points a real Codex app server at the stand-in.

/// The API key a real server needs in its environment (`OPENAI_API_KEY`); the stand-in
/// accepts any.
pub const API_KEY: &str = "sk-test";

/// The `config.toml` a real Codex app server needs to talk to the stand-in at `base_url`
/// (e.g. `http://127.0.0.1:PORT/v1`, what [`ModelServer::base_url`](super::ModelServer::base_url)
/// gives): a provider `stub` on the Responses API with one retry per request and stream (so a
/// `FAIL` turn fails after one retry) and a 5 s stream idle timeout, the `untrusted` approval
/// policy (commands and patches ask for approval) and the `workspace-write` sandbox.
///
/// Write it to `$CODEX_HOME/config.toml` and start the server with `CODEX_HOME` set to that
/// folder and `OPENAI_API_KEY` set to [`API_KEY`] (any value does).
pub fn codex_config_toml(base_url: &str) -> String {
    let base_url = toml_edit::Value::from(base_url).to_string();
    format!(
        r#"model = "gpt-5.1-codex"
model_provider = "stub"
approval_policy = "untrusted"
sandbox_mode = "workspace-write"

[model_providers.stub]
name = "stub"
base_url = {}
wire_api = "responses"
request_max_retries = 1
stream_max_retries = 1
stream_idle_timeout_ms = 5000
"#,
        base_url.trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_is_toml_with_the_base_url() {
        let text = codex_config_toml("http://127.0.0.1:4000/v1");
        let document: toml_edit::DocumentMut = text.parse().unwrap();
        assert_eq!(
            document["model_providers"]["stub"]["base_url"].as_str(),
            Some("http://127.0.0.1:4000/v1")
        );
        assert!(text.contains("base_url = \"http://127.0.0.1:4000/v1\"\n"), "{text}");
        let quoted = codex_config_toml("http://x/\"v1\\");
        let document: toml_edit::DocumentMut = quoted.parse().unwrap();
        assert_eq!(
            document["model_providers"]["stub"]["base_url"].as_str(),
            Some("http://x/\"v1\\")
        );
    }
}
