//! The decoder's fast path: one pass over the line, straight into the typed message.
//!
//! The members of the envelope are read in the order they come. `method` names the typed
//! params (request and notification names never overlap, so the name alone tells which), and a
//! pending request names the typed result, so once they are known the payload is decoded
//! directly from the input, with no intermediate `Value` and no second parse. A payload that
//! comes before what types it (e.g. `params` before `method`) is kept as raw text and decoded
//! at the end.
//!
//! The fast path does not diagnose: on any problem it gives up (`None`) and the caller runs the
//! diagnostic path, which classifies the line and reports the JSON-RPC code and JSON path.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{PendingRequests, Sender};
use crate::jsonrpc::{ErrorResponse, JsonRpcError, RequestId};

/// The method named by `method`: one of the sender's requests or notifications.
enum Named<S: Sender> {
    Request(S::RequestMethod),
    Notification(S::NotificationMethod),
}

/// A string read from the input, borrowed when it has no escapes.
struct Text<'de>(std::borrow::Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(value.into()))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Text<'de>, E> {
                Ok(Text(value.to_owned().into()))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// The envelope's members as far as they have been read.
struct Members<'de, S: Sender> {
    id: Option<RequestId>,
    method: Option<Named<S>>,
    /// The typed message, when its payload could be decoded in stream.
    message: Option<S::Message>,
    params: Option<&'de RawValue>,
    result: Option<&'de RawValue>,
    error: Option<JsonRpcError>,
    seen_params: bool,
    seen_result: bool,
}

/// Decodes the typed params of `method` in stream.
struct ParamsSeed<S: Sender> {
    id: Option<RequestId>,
    method: Named<S>,
}

impl<'de, S: Sender> DeserializeSeed<'de> for ParamsSeed<S> {
    type Value = S::Message;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Message, D::Error> {
        match self.method {
            Named::Request(method) => {
                let id = self.id.ok_or_else(|| de::Error::custom("request without id"))?;
                S::request_in_stream(id, method, deserializer)
            }
            Named::Notification(method) => S::notification_in_stream(method, deserializer),
        }
    }
}

/// Decodes the typed result of an answered method in stream.
struct ResultSeed<S: Sender> {
    id: RequestId,
    method: S::AnsweredMethod,
}

impl<'de, S: Sender> DeserializeSeed<'de> for ResultSeed<S> {
    type Value = S::Message;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Message, D::Error> {
        S::response_in_stream(self.id, self.method, deserializer)
    }
}

struct EnvelopeVisitor<'p, S: Sender> {
    pending: &'p PendingRequests<S::AnsweredMethod>,
    sender: PhantomData<S>,
}

fn duplicate<E: de::Error>(member: &str) -> E {
    E::custom(format_args!("duplicate member `{member}`"))
}

impl<'de, S: Sender> Visitor<'de> for EnvelopeVisitor<'_, S> {
    type Value = Members<'de, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-RPC message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = Members::<S> {
            id: None,
            method: None,
            message: None,
            params: None,
            result: None,
            error: None,
            seen_params: false,
            seen_result: false,
        };
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.0.as_ref() {
                "id" => {
                    if m.id.is_some() {
                        return Err(duplicate("id"));
                    }
                    m.id = Some(map.next_value()?);
                }
                "method" => {
                    if m.method.is_some() {
                        return Err(duplicate("method"));
                    }
                    let name: Text<'de> = map.next_value()?;
                    m.method = Some(match S::request_method(&name.0) {
                        Some(method) => Named::Request(method),
                        None => Named::Notification(
                            S::notification_method(&name.0).ok_or_else(|| de::Error::custom("unknown method"))?,
                        ),
                    });
                }
                "params" => {
                    if m.seen_params {
                        return Err(duplicate("params"));
                    }
                    m.seen_params = true;
                    let ready = match &m.method {
                        Some(Named::Request(method)) if m.id.is_some() => {
                            Some(ParamsSeed::<S> { id: m.id.clone(), method: Named::Request(*method) })
                        }
                        Some(Named::Notification(method)) => {
                            Some(ParamsSeed::<S> { id: None, method: Named::Notification(*method) })
                        }
                        _ => None,
                    };
                    match ready {
                        Some(seed) => m.message = Some(map.next_value_seed(seed)?),
                        None => m.params = Some(map.next_value()?),
                    }
                }
                "result" => {
                    if m.seen_result {
                        return Err(duplicate("result"));
                    }
                    m.seen_result = true;
                    let answered = m.id.as_ref().and_then(|id| self.pending.get(id).map(|method| (id.clone(), method)));
                    match answered {
                        Some((id, method)) => {
                            m.message = Some(map.next_value_seed(ResultSeed::<S> { id, method })?);
                        }
                        None => m.result = Some(map.next_value()?),
                    }
                }
                "error" => {
                    if m.error.is_some() {
                        return Err(duplicate("error"));
                    }
                    m.error = Some(map.next_value()?);
                }
                "jsonrpc" => {
                    let version: Text<'de> = map.next_value()?;
                    if version.0 != "2.0" {
                        return Err(de::Error::custom("jsonrpc must be 2.0"));
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(m)
    }
}

/// What the fast path decoded: the message, and for an answer the id to take out of the
/// pending table.
pub(super) struct Decoded<S: Sender> {
    pub message: S::Message,
    pub answers: Option<RequestId>,
}

/// Decodes `line` in one pass, or gives up (`None`) so that the diagnostic path can say what
/// is wrong.
pub(super) fn decode<S: Sender>(line: &str, pending: &PendingRequests<S::AnsweredMethod>) -> Option<Decoded<S>> {
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let visitor = EnvelopeVisitor::<S> { pending, sender: PhantomData };
    let members = deserializer.deserialize_map(visitor).ok()?;
    deserializer.end().ok()?;
    assemble::<S>(members, pending)
}

fn assemble<S: Sender>(m: Members<'_, S>, pending: &PendingRequests<S::AnsweredMethod>) -> Option<Decoded<S>> {
    let params = m.params.map(RawValue::get).filter(|raw| *raw != "null");
    match m.method {
        Some(method) => {
            if m.seen_result || m.error.is_some() || params.is_some_and(|raw| !raw.starts_with('{')) {
                return None;
            }
            let message = match (m.message, method) {
                (Some(message), _) => message,
                (None, Named::Request(method)) => S::request(m.id?, method, params).ok()?,
                (None, Named::Notification(method)) => {
                    if m.id.is_some() {
                        return None;
                    }
                    S::notification(method, params).ok()?
                }
            };
            Some(Decoded { message, answers: None })
        }
        None => {
            let id = m.id?;
            match (m.seen_result, m.error) {
                (true, None) => {
                    let message = match m.message {
                        Some(message) => message,
                        None => S::response(id.clone(), pending.get(&id)?, m.result?.get()).ok()?,
                    };
                    Some(Decoded { message, answers: Some(id) })
                }
                (false, Some(error)) => {
                    pending.get(&id)?;
                    Some(Decoded { message: S::error(ErrorResponse { id: id.clone(), error }), answers: Some(id) })
                }
                _ => None,
            }
        }
    }
}
