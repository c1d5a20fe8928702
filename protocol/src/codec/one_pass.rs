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
//!
//! What keeps it fast (measured with `bench/`; see `bench/RESULTS.md`): member names and the
//! method name are matched in place, without building a string; and the typed message, which
//! is large (a few hundred bytes), is built right in a slot owned by the caller of `decode`
//! (the method table's `deserialize_*_into` write it there), instead of travelling through
//! return values: the seed's result, the visitor's result, `serde_json`'s `deserialize_map`,
//! the wrapping into `ServerMessage`/`ClientMessage` and the assembly step each copied the whole
//! message, together about a tenth of the instructions spent on a delta notification.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::pending::PendingMethods;
use super::{DecodeError, Sender};
use crate::by_name::{ByName, Payload};
use crate::jsonrpc::{ErrorResponse, JsonRpcError, RequestId};

/// The method named by `method`: one of the sender's requests or notifications.
enum Named<S: Sender> {
    Request(S::RequestMethod),
    Notification(S::NotificationMethod),
}

/// A member of the envelope, recognised by its name without building a string.
enum Key {
    Id,
    Method,
    Params,
    Result,
    Error,
    JsonRpc,
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
                Ok(match name.as_bytes() {
                    b"id" => Key::Id,
                    b"method" => Key::Method,
                    b"params" => Key::Params,
                    b"result" => Key::Result,
                    b"error" => Key::Error,
                    b"jsonrpc" => Key::JsonRpc,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads the `method` member and looks the name up in the sender's tables, without building a
/// string (unless the name has escapes). An unknown name is an error: the fast path gives up.
struct MethodSeed<S: Sender>(PhantomData<S>);

/// The method as read: its table entry, and for a method family the full name, whose suffix is
/// checked against the params once they are decoded.
type ReadMethod<S> = (Named<S>, Option<Box<str>>);

impl<'de, S: Sender> DeserializeSeed<'de> for MethodSeed<S> {
    type Value = ReadMethod<S>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<ReadMethod<S>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<S: Sender> Visitor<'_> for MethodSeed<S> {
    type Value = ReadMethod<S>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a method name")
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<ReadMethod<S>, E> {
        // Notifications first: they are most of the traffic in both directions' hot paths.
        if let Some(method) = S::notification_method(name) {
            // A family's name is checked against its params once they are decoded.
            let family = S::is_family(method).then(|| Box::from(name));
            return Ok((Named::Notification(method), family));
        }
        let request = S::request_method(name).map(Named::Request);
        request.map(|named| (named, None)).ok_or_else(|| E::custom("unknown method"))
    }
}

/// Reads the `jsonrpc` member: only `"2.0"` is accepted.
struct VersionSeed;

impl<'de> DeserializeSeed<'de> for VersionSeed {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for VersionSeed {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"2.0\"")
    }
    fn visit_str<E: de::Error>(self, version: &str) -> Result<(), E> {
        if version == "2.0" { Ok(()) } else { Err(E::custom("jsonrpc must be 2.0")) }
    }
}

/// Which payload was decoded in stream into the message slot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum InStream {
    Params,
    Result,
}

/// The envelope's members as far as they have been read. The typed message itself is not
/// here: it goes into the slot of `decode` (`EnvelopeVisitor::out`).
struct Members<'de, S: Sender> {
    id: Option<RequestId>,
    method: Option<Named<S>>,
    /// The full name of a method family's notification (see [`ReadMethod`]).
    family: Option<Box<str>>,
    params: Option<&'de RawValue>,
    result: Option<&'de RawValue>,
    error: Option<JsonRpcError>,
    seen_params: bool,
    seen_result: bool,
    seen_version: bool,
    in_stream: Option<InStream>,
}

/// Decodes the typed params of `method` in stream, into the message slot.
struct ParamsSeed<'o, S: Sender> {
    id: Option<RequestId>,
    method: Named<S>,
    out: &'o mut Result<S::Message, DecodeError>,
}

impl<'de, S: Sender> DeserializeSeed<'de> for ParamsSeed<'_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.method {
            Named::Request(method) => {
                let id = self.id.ok_or_else(|| de::Error::custom("request without id"))?;
                S::request_in_stream(id, method, ByName::payload(deserializer), self.out)
            }
            Named::Notification(method) => {
                S::notification_in_stream(method, ByName::payload(deserializer), self.out)
            }
        }
    }
}

/// Decodes the typed result of an answered method in stream, into the message slot.
struct ResultSeed<'o, S: Sender> {
    id: RequestId,
    method: S::AnsweredMethod,
    out: &'o mut Result<S::Message, DecodeError>,
}

impl<'de, S: Sender> DeserializeSeed<'de> for ResultSeed<'_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        S::response_in_stream(self.id, self.method, ByName::payload(deserializer), self.out)
    }
}

struct EnvelopeVisitor<'p, 'o, S: Sender> {
    pending: &'p dyn PendingMethods<S::AnsweredMethod>,
    /// Where a payload decoded in stream puts the typed message.
    out: &'o mut Result<S::Message, DecodeError>,
}

fn duplicate<E: de::Error>(member: &str) -> E {
    E::custom(format_args!("duplicate member `{member}`"))
}

impl<'de, S: Sender> Visitor<'de> for EnvelopeVisitor<'_, '_, S> {
    type Value = Members<'de, S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-RPC message object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = Members::<S> {
            id: None,
            method: None,
            family: None,
            params: None,
            result: None,
            error: None,
            seen_params: false,
            seen_result: false,
            seen_version: false,
            in_stream: None,
        };
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id => m.read_id(&mut map)?,
                Key::Method => {
                    if m.method.is_some() {
                        return Err(duplicate("method"));
                    }
                    let (method, family) = map.next_value_seed(MethodSeed::<S>(PhantomData))?;
                    m.method = Some(method);
                    m.family = family;
                }
                Key::Params => self.read_params(&mut m, &mut map)?,
                Key::Result => self.read_result(&mut m, &mut map)?,
                Key::Error => {
                    if m.error.is_some() {
                        return Err(duplicate("error"));
                    }
                    // By name, as every payload: an array is not an error object.
                    m.error = Some(map.next_value_seed(Payload::new())?);
                }
                Key::JsonRpc => {
                    if m.seen_version {
                        return Err(duplicate("jsonrpc"));
                    }
                    m.seen_version = true;
                    map.next_value_seed(VersionSeed)?;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(m)
    }
}

impl<'de, S: Sender> Members<'de, S> {
    fn read_id<A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error> {
        // An id after a payload decoded in stream would change what the message is (a
        // notification's params were decoded as such): leave it to the diagnostic path.
        if self.id.is_some() || self.in_stream.is_some() {
            return Err(duplicate("id"));
        }
        self.id = Some(map.next_value()?);
        Ok(())
    }
}

impl<'de, S: Sender> EnvelopeVisitor<'_, '_, S> {
    /// `params`: decoded in stream into the message slot when the method (and, for a
    /// request, the id) came first; kept raw otherwise.
    fn read_params<A: MapAccess<'de>>(
        &mut self,
        m: &mut Members<'de, S>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if m.seen_params {
            return Err(duplicate("params"));
        }
        m.seen_params = true;
        let ready = match &m.method {
            Some(Named::Request(method)) if m.id.is_some() => {
                Some((m.id.clone(), Named::Request(*method)))
            }
            Some(Named::Notification(method)) if m.id.is_none() => {
                Some((None, Named::Notification(*method)))
            }
            _ => None,
        };
        match ready {
            Some((id, method)) => {
                map.next_value_seed(ParamsSeed::<S> { id, method, out: &mut *self.out })?;
                m.in_stream = Some(InStream::Params);
            }
            None => m.params = Some(map.next_value()?),
        }
        Ok(())
    }

    /// `result`: decoded in stream into the message slot when the id came first and names a
    /// pending request; kept raw otherwise.
    fn read_result<A: MapAccess<'de>>(
        &mut self,
        m: &mut Members<'de, S>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if m.seen_result {
            return Err(duplicate("result"));
        }
        m.seen_result = true;
        let answered = match (&m.id, &m.method) {
            (Some(id), None) => self.pending.get(id).map(|method| (id.clone(), method)),
            _ => None,
        };
        match answered {
            Some((id, method)) => {
                map.next_value_seed(ResultSeed::<S> { id, method, out: &mut *self.out })?;
                m.in_stream = Some(InStream::Result);
            }
            None => m.result = Some(map.next_value()?),
        }
        Ok(())
    }
}

/// What the fast path decoded, besides the message: for an answer, the id to take out of the
/// pending table.
pub(super) struct Decoded {
    pub answers: Option<RequestId>,
}

/// Decodes `line` in one pass into `out`, or gives up (`None`) so that the diagnostic path can
/// say what is wrong. When it returns `Some`, `out` holds the message (`Ok`).
pub(super) fn decode<S: Sender>(
    line: &str,
    pending: &dyn PendingMethods<S::AnsweredMethod>,
    out: &mut Result<S::Message, DecodeError>,
) -> Option<Decoded> {
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let visitor = EnvelopeVisitor::<S> { pending, out: &mut *out };
    let mut members = deserializer.deserialize_map(visitor).ok()?;
    deserializer.end().ok()?;
    let family = members.family.take();
    let decoded = decode_members::<S>(members, family.as_deref(), pending, out)?;
    // A family's name must be the one its params give; the diagnostic path says why not.
    match (family, &*out) {
        (Some(name), Ok(message)) if !S::has_wire_name(message, &name) => None,
        _ => Some(decoded),
    }
}

/// What the envelope's members make: the message decoded in stream, checked, or assembled.
fn decode_members<S: Sender>(
    members: Members<'_, S>,
    family: Option<&str>,
    pending: &dyn PendingMethods<S::AnsweredMethod>,
    out: &mut Result<S::Message, DecodeError>,
) -> Option<Decoded> {
    let answers = match members.in_stream {
        // The usual case: the payload was typed as it was read. Check what the members after
        // it may have added.
        Some(InStream::Params) => {
            if members.seen_result || members.error.is_some() {
                return None;
            }
            None
        }
        Some(InStream::Result) => {
            if members.method.is_some() || members.error.is_some() {
                return None;
            }
            Some(members.id?)
        }
        None => return assemble::<S>(members, family, pending, out),
    };
    out.is_ok().then_some(Decoded { answers })
}

/// The payload came before what types it (or there is none): decode what was kept raw.
fn assemble<S: Sender>(
    m: Members<'_, S>,
    family: Option<&str>,
    pending: &dyn PendingMethods<S::AnsweredMethod>,
    out: &mut Result<S::Message, DecodeError>,
) -> Option<Decoded> {
    let params = m.params.map(RawValue::get).filter(|raw| *raw != "null");
    match m.method {
        Some(method) => {
            if m.seen_result || m.error.is_some() || params.is_some_and(|raw| !raw.starts_with('{'))
            {
                return None;
            }
            let message = match method {
                Named::Request(method) => S::request(m.id?, method, params).ok()?,
                Named::Notification(method) => {
                    if m.id.is_some() {
                        return None;
                    }
                    // The name matters only to a family, whose name was kept.
                    S::notification(method, family.unwrap_or_default(), params).ok()?
                }
            };
            *out = Ok(message);
            Some(Decoded { answers: None })
        }
        None => {
            let id = m.id?;
            match (m.seen_result, m.error) {
                (true, None) => {
                    *out = Ok(S::response(id.clone(), pending.get(&id)?, m.result?.get()).ok()?);
                    Some(Decoded { answers: Some(id) })
                }
                (false, Some(error)) => {
                    pending.get(&id)?;
                    *out = Ok(S::error(ErrorResponse { id: id.clone(), error }));
                    Some(Decoded { answers: Some(id) })
                }
                _ => None,
            }
        }
    }
}
