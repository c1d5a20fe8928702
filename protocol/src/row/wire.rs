//! The wire half of the table's messages: decoding a payload from its raw JSON text, and
//! writing the request, notification and response envelopes. The generated enums call these.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::ser::{SerializeMap, Serializer};

use super::PayloadError;
use crate::by_name::ByName;
use crate::jsonrpc::RequestId;

/// Decodes a payload (params or result) from its raw JSON text, by name, reporting the path of
/// the first offending field. `raw` of `None` means the member was absent.
pub(crate) fn decode_payload<T: DeserializeOwned>(
    raw: Option<&str>,
    has_payload: bool,
) -> Result<T, PayloadError> {
    let text = match (raw, has_payload) {
        (Some(text), _) => text,
        (None, false) => "null",
        // Absent params of a method that has some: read as `{}` so that params made only of
        // optional fields may be left out, and report what is missing otherwise.
        (None, true) => "{}",
    };
    let mut de = serde_json::Deserializer::from_str(text);
    // By name: an array is refused where a struct is expected (see `crate::by_name`).
    let value = serde_path_to_error::deserialize(ByName::payload(&mut de)).map_err(|err| {
        let path = err.path().to_string();
        PayloadError { path, message: strip_position(&err.into_inner().to_string()) }
    })?;
    Ok(value)
}

/// serde_json appends ` at line L column C` to its messages; the position is relative to the
/// payload, not to the line the peer sent, so it only confuses. The JSON path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
        _ => message.to_owned(),
    }
}

/// Writes `{"id": …, "method": …, "params": …}`; `params` is left out for methods without.
pub(crate) fn serialize_request<S: Serializer, P: Serialize>(
    serializer: S,
    id: &RequestId,
    method: &str,
    params: &P,
    has_params: bool,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(if has_params { 3 } else { 2 }))?;
    map.serialize_entry("id", id)?;
    map.serialize_entry("method", method)?;
    if has_params {
        map.serialize_entry("params", params)?;
    }
    map.end()
}

/// Writes `{"method": …, "params": …}`; `params` is left out for methods without.
pub(crate) fn serialize_notification<S: Serializer, P: Serialize>(
    serializer: S,
    method: &str,
    params: &P,
    has_params: bool,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(if has_params { 2 } else { 1 }))?;
    map.serialize_entry("method", method)?;
    if has_params {
        map.serialize_entry("params", params)?;
    }
    map.end()
}

/// Writes `{"id": …, "result": …}`.
pub(crate) fn serialize_response<S: Serializer, R: Serialize>(
    serializer: S,
    id: &RequestId,
    result: &R,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(2))?;
    map.serialize_entry("id", id)?;
    map.serialize_entry("result", result)?;
    map.end()
}
