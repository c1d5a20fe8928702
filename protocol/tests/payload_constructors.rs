//! The constructors `#[derive(Payload)]` gives every params and result struct of the method
//! table: `new(required…)` sets exactly the required members, `with_*` the optional ones, and
//! `Default` exists exactly where no member is required. The last point is checked for every
//! payload of the table against the decoder, which is the judge of what is required.

use std::any::type_name;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::PathBuf;

use app_server_protocol::row::{Payload, PayloadRole, PayloadShape, PayloadShapeVisitor};
use app_server_protocol::{
    ClientNotificationMethod, ClientRequestMethod, MethodMeta, ServerNotificationMethod,
    ServerRequestMethod, all_methods, handshake, v1, v2,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// What the walk saw of one payload type.
#[derive(Default)]
struct Walk {
    /// Every payload type, once.
    seen: BTreeSet<&'static str>,
    /// The enum payloads.
    enums: BTreeSet<&'static str>,
    /// Payload types with `Default`.
    with_default: BTreeSet<&'static str>,
    failures: Vec<String>,
}

impl PayloadShapeVisitor for Walk {
    fn visit<T: Payload + Serialize + DeserializeOwned + Debug + PartialEq + 'static>(
        &mut self,
        method: &'static MethodMeta,
        role: PayloadRole,
    ) {
        let name = type_name::<T>();
        if !self.seen.insert(name) {
            return;
        }
        let at = format!("{name} ({role:?} of `{}`)", method.wire_name);
        let required = match T::SHAPE {
            PayloadShape::Enum => {
                self.enums.insert(name);
                if T::default_value().is_some() {
                    self.failures.push(format!("{at}: an enum payload with a Default"));
                }
                return;
            }
            PayloadShape::Struct { required } => required,
        };
        let empty = serde_json::from_str::<T>("{}");
        match (required.first(), &empty, T::default_value()) {
            // Nothing required: the decoder accepts `{}`, and reads it as `Default::default()`.
            (None, Ok(decoded), Some(default)) => {
                self.with_default.insert(name);
                if *decoded != default {
                    self.failures.push(format!(
                        "{at}: `{{}}` decodes to {decoded:?}, Default is {default:?}"
                    ));
                }
            }
            (None, _, None) => {
                self.failures.push(format!("{at}: no member is required but it has no Default"))
            }
            (None, Err(err), _) => self.failures.push(format!(
                "{at}: no member is required, yet the decoder refuses `{{}}`: {err}"
            )),
            // Something required: the decoder refuses `{}`, naming the first required member
            // (serde reports the first missing member in declaration order).
            (Some(first), Err(err), None) => {
                if !err.to_string().contains(&format!("missing field `{first}`")) {
                    self.failures.push(format!(
                        "{at}: requires {required:?}, the decoder says of `{{}}`: {err}"
                    ));
                }
            }
            (Some(_), _, Some(_)) => {
                self.failures.push(format!("{at}: requires {required:?} but has a Default"))
            }
            (Some(_), Ok(decoded), None) => self.failures.push(format!(
                "{at}: requires {required:?}, yet the decoder accepts `{{}}` as {decoded:?}"
            )),
        }
    }
}

fn walk_the_table() -> Walk {
    let mut walk = Walk::default();
    for method in ClientRequestMethod::ALL {
        method.visit_payload_shapes(&mut walk);
    }
    for method in ServerRequestMethod::ALL {
        method.visit_payload_shapes(&mut walk);
    }
    for method in ServerNotificationMethod::ALL {
        method.visit_payload_shapes(&mut walk);
    }
    for method in ClientNotificationMethod::ALL {
        method.visit_payload_shapes(&mut walk);
    }
    walk
}

#[test]
fn default_exists_exactly_where_the_decoder_requires_nothing() {
    let walk = walk_the_table();
    assert!(walk.failures.is_empty(), "{}", walk.failures.join("\n"));
    // Every params and result type of the table was walked (a few serve several methods).
    let declared: BTreeSet<&str> =
        all_methods().flat_map(|meta| [meta.params_type, meta.result_type]).flatten().collect();
    assert_eq!(walk.seen.len(), declared.len(), "walked {:?}", walk.seen);
    assert!(walk.with_default.contains(type_name::<v2::ThreadStartParams>()));
    assert!(walk.with_default.contains(type_name::<v2::ThreadArchiveResponse>()));
    assert!(!walk.with_default.contains(type_name::<v2::ThreadResumeParams>()));
}

#[test]
fn the_enum_payloads_are_these() {
    let walk = walk_the_table();
    let expected: BTreeSet<&str> = [
        type_name::<v1::GetConversationSummaryParams>(),
        type_name::<v2::LoginAccountParams>(),
        type_name::<v2::LoginAccountResponse>(),
    ]
    .into();
    assert_eq!(walk.enums, expected);
}

#[test]
fn new_sets_the_required_members_and_leaves_the_optional_ones_absent() {
    // v2 params a client sends leave absent members out.
    assert_eq!(encode(&v2::ThreadResumeParams::new("thr_1")), json!({"threadId": "thr_1"}));
    assert_eq!(
        encode(&v2::TurnInterruptParams::new("thr_1", String::from("turn_1"))),
        json!({"threadId": "thr_1", "turnId": "turn_1"})
    );
    // What the server sends writes every member, `null` when absent.
    assert_eq!(
        encode(&v2::ThreadListResponse::new(vec![])),
        json!({"data": [], "nextCursor": null})
    );
    assert_eq!(
        encode(&v2::McpServerOauthLoginCompletedNotification::new("github", true)),
        json!({"name": "github", "success": true, "error": null})
    );
    // A member with a serde default starts at it.
    assert_eq!(
        encode(&v2::ReviewStartParams::new("thr_1", v2::ReviewTarget::UncommittedChanges)),
        json!({
            "threadId": "thr_1",
            "target": {"type": "uncommittedChanges"},
            "appendToOriginalThread": false
        })
    );
    // `impl Into` arguments: a `&str` becomes a `Secret` or a `PathBuf`.
    let login = v1::LoginApiKeyParams::new("sk-test");
    assert_eq!(login.api_key.expose(), "sk-test");
    assert_eq!(v1::GitDiffToRemoteParams::new("/repo").cwd, PathBuf::from("/repo"));
    assert_eq!(
        encode(&handshake::InitializeResponse::new("codex/0.64.0")),
        json!({"userAgent": "codex/0.64.0"})
    );
}

#[test]
fn with_sets_an_optional_member() {
    let params = v2::ThreadResumeParams::new("thr_1")
        .with_model("gpt-5.1-codex")
        .with_sandbox(v2::SandboxMode::ReadOnly)
        .with_history(vec![]);
    assert_eq!(
        encode(&params),
        json!({"threadId": "thr_1", "model": "gpt-5.1-codex", "sandbox": "readOnly", "history": []})
    );
    // Numbers are taken as they are, so a literal needs no suffix.
    assert_eq!(
        encode(&v2::ThreadListParams::new().with_limit(nz(10)).with_cursor("c-2")),
        json!({"cursor": "c-2", "limit": 10})
    );
    assert_eq!(
        encode(&v2::ConfigReadParams::new().with_include_layers(true)),
        json!({"includeLayers": true})
    );
    // A defaulted member that is not an `Option` is set as it is.
    assert_eq!(
        encode(&v2::GetAccountParams::new().with_refresh_token(true)),
        json!({"refreshToken": true})
    );
    assert_eq!(
        encode(&v2::ThreadListResponse::new(vec![]).with_next_cursor("c-3")),
        json!({"data": [], "nextCursor": "c-3"})
    );
    // Fields stay public: reading and changing them needs no setter.
    let mut params = v2::ModelListParams::new().with_limit(nz(5));
    params.cursor = Some("m-2".into());
    assert_eq!(params.limit, Some(nz(5)));
    assert_eq!(encode(&params), json!({"cursor": "m-2", "limit": 5}));
}

#[test]
fn default_is_new_where_nothing_is_required() {
    assert_eq!(v2::ThreadStartParams::default(), v2::ThreadStartParams::new());
    assert_eq!(encode(&v2::ThreadStartParams::default()), json!({}));
    assert_eq!(v2::ThreadArchiveResponse::default(), v2::ThreadArchiveResponse::new());
    assert_eq!(encode(&v2::ThreadArchiveResponse::new()), json!({}));
    // v1 params write `null` for what is absent (the frozen wire), and leave out the two
    // members added after the baseline.
    assert_eq!(
        encode(&v1::NewConversationParams::default()),
        json!({
            "model": null, "modelProvider": null, "profile": null, "cwd": null,
            "approvalPolicy": null, "sandbox": null, "config": null, "baseInstructions": null,
            "includeApplyPatchTool": null
        })
    );
}

/// A page size (never zero: the type says so).
fn nz(limit: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(limit).expect("a non-zero limit")
}
