//! Decode errors never echo credentials.
//!
//! [`crate::Secret`] refuses a wrongly shaped value without quoting it, but other messages quote
//! input (an unknown method name, a bad `id`, serde's `invalid value: string "…"`), and a peer
//! may put a key anywhere. So on the error path only, the line is scanned for the values of
//! credential-named members ([`crate::secret::is_secret_key`], at any depth, whatever their
//! shape), and every occurrence of them — as read, unescaped, or re-escaped — is replaced by
//! `<redacted>` in the error's message, path, expectation and method; so is any string that looks like a
//! credential wherever it is (`sk-…`, `ghp_…`, a JWT, `Bearer …`). The scan is lexical, so it works on
//! lines that are not valid JSON too. Values shorter than [`MIN_SECRET_LEN`] bytes are left
//! alone (no credential is that short, and replacing them would garble messages).

use super::DecodeError;
use crate::secret::{REDACTED, is_secret_key};

/// Shorter values of credential-named members are not scrubbed.
pub const MIN_SECRET_LEN: usize = 4;

/// Past this many spellings of credentials in one line, checking each against the message
/// would cost more than the line is worth: the error's details are withheld instead.
pub const MAX_SECRETS: usize = 4096;

/// Scrubs the credentials of `line` out of `err`.
pub(super) fn redact(line: &str, mut err: DecodeError) -> DecodeError {
    let secrets = secret_values(line);
    if secrets.is_empty() {
        return err;
    }
    if secrets.len() > MAX_SECRETS {
        err.message = format!(
            "details withheld: the line holds more than {MAX_SECRETS} credential values, which error messages never show"
        );
        err.path = None;
        err.method = None;
        err.expected = None;
        return err;
    }
    let scrub = |text: &mut String| {
        for secret in &secrets {
            if text.contains(secret.as_str()) {
                *text = text.replace(secret.as_str(), REDACTED);
            }
        }
    };
    scrub(&mut err.message);
    if let Some(path) = err.path.as_mut() {
        scrub(path);
    }
    if let Some(method) = err.method.as_mut() {
        scrub(method);
    }
    if let Some(expected) = err.expected.take() {
        let mut expected = String::from(expected);
        scrub(&mut expected);
        err.expected = Some(expected.into_boxed_str());
    }
    err
}

/// The spellings of every credential in `line`, longest first: each string value of a
/// credential-named member, and each string inside an array or object that is such a member's
/// value, as written (escapes kept), unescaped, and escaped the way Rust's `Debug` does.
pub(super) fn secret_values(line: &str) -> Vec<String> {
    let bytes = line.as_bytes();
    let mut found: Vec<String> = Vec::new();
    let mut depth = 0usize;
    // Set after a credential-named key: the next value is a credential.
    let mut next_is_secret = false;
    // While inside a container that is a credential's value: the depth it opened at.
    let mut inside_secret: Option<usize> = None;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let end = string_end(bytes, at);
                // `"` and `\` are ASCII, so `at + 1` and `end` are char boundaries.
                let raw = &line[at + 1..end.min(line.len())];
                let mut after = end + 1;
                while after < bytes.len() && bytes[after].is_ascii_whitespace() {
                    after += 1;
                }
                let is_key = bytes.get(after) == Some(&b':');
                if inside_secret.is_some()
                    || (next_is_secret && !is_key)
                    || looks_like_credential(raw)
                {
                    push_spellings(&mut found, raw);
                    next_is_secret = false;
                } else if is_key {
                    next_is_secret = is_secret_key(&unescape(raw));
                } else {
                    next_is_secret = false;
                }
                at = end + 1;
            }
            b'{' | b'[' => {
                if next_is_secret && inside_secret.is_none() {
                    inside_secret = Some(depth);
                }
                next_is_secret = false;
                depth += 1;
                at += 1;
            }
            b'}' | b']' => {
                next_is_secret = false;
                depth = depth.saturating_sub(1);
                if inside_secret == Some(depth) {
                    inside_secret = None;
                }
                at += 1;
            }
            b':' => at += 1,
            b',' => {
                next_is_secret = false;
                at += 1;
            }
            _ => at += 1,
        }
    }
    found.retain(|s| s.len() >= MIN_SECRET_LEN);
    found.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    found.dedup();
    found
}

/// Whether a string looks like a credential wherever it is (say, pasted into the wrong
/// member): an OpenAI-style key (`sk-…`), a GitHub or Slack token, an AWS key id, a JWT or a
/// bearer header, at least 16 bytes long.
fn looks_like_credential(raw: &str) -> bool {
    const PREFIXES: [&str; 10] =
        ["sk-", "sk_", "rk-", "ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-", "AKIA", "Bearer "];
    raw.len() >= 16
        && (PREFIXES.iter().any(|prefix| raw.starts_with(prefix))
            || (raw.starts_with("eyJ") && raw.bytes().filter(|b| *b == b'.').count() == 2))
}

/// The index of the `"` closing the string that opens at `start`, or the end of the input.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at,
            _ => at += 1,
        }
    }
    bytes.len()
}

fn unescape(raw: &str) -> String {
    serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_owned())
}

fn push_spellings(found: &mut Vec<String>, raw: &str) {
    let value = unescape(raw);
    let debug = format!("{value:?}");
    let debug = debug[1..debug.len() - 1].to_owned();
    let json =
        serde_json::to_string(&value).map(|s| s[1..s.len() - 1].to_owned()).unwrap_or_default();
    found.extend([raw.to_owned(), value, debug, json]);
}

#[cfg(test)]
mod tests {
    use super::secret_values;

    #[test]
    fn finds_credentials_in_every_shape_and_nothing_else() {
        let line = r#"{"id":1,"method":"account/login/start","params":{"type":"apiKey","apiKey":"sk-a\"b","x":"keep-me"},"authToken":["tok-1234",{"k":"tok-5678"}],"refreshToken":true,"password": "pw-12345" }"#;
        let found = secret_values(line);
        for secret in ["sk-a\\\"b", "sk-a\"b", "tok-1234", "tok-5678", "pw-12345"] {
            assert!(found.iter().any(|s| s == secret), "{secret} not in {found:?}");
        }
        assert!(
            !found.iter().any(|s| s.contains("keep-me") || s == "true" || s == "apiKey"),
            "{found:?}"
        );
    }

    #[test]
    fn a_line_full_of_credentials_withholds_the_details() {
        let members: Vec<String> =
            (0..5000).map(|n| format!(r#""token{n}":"tok-{n:06}""#)).collect();
        let line =
            format!(r#"{{"id":1,"method":"tok-000001","params":{{{}}}}}"#, members.join(","));
        let err =
            super::super::decode_client_message(&line, &mut super::super::PendingRequests::new())
                .unwrap_err();
        assert_eq!(
            (err.code().0, err.path.as_deref(), err.method.as_deref()),
            (-32601, None, None)
        );
        assert!(err.message.starts_with("details withheld"), "{err}");
    }

    #[test]
    fn survives_truncated_and_odd_input() {
        assert_eq!(
            secret_values(r#"{"apiKey":"sk-unterminated"#),
            vec!["sk-unterminated".to_owned()]
        );
        for line in ["", "\"", "\\", "{\"apiKey\"", "{\"apiKey\":", "]]]}}}", "{\"a\":\"\\"] {
            let _ = secret_values(line);
        }
    }
}
