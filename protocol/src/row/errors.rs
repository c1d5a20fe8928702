//! The errors particular to one method, as its row of the method table states them
//! (`errors:`): refusals of well-formed params that the types alone cannot say. The errors
//! every method of its kind has (params that do not fit, an internal error) are not listed
//! in rows; the API reference adds them.

use crate::jsonrpc::ErrorCode;

/// One error a method answers with beyond those every method of its kind has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodError {
    /// The JSON-RPC code.
    pub code: ErrorCode,
    /// When it is answered, as Markdown (one sentence, no final period).
    pub when: &'static str,
    /// What its `data` member carries, when it has one.
    pub data: Option<ErrorData>,
}

/// What the `data` member of a [`MethodError`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorData {
    /// `{ "<member>": <value> }`: one error per value of the string enum `type_name` (its
    /// definition name in the JSON Schema bundles, e.g. `"v2.ConfigWriteErrorCode"`), each
    /// answered when that value's documentation says.
    EachValueOf {
        /// The member of `data` that holds the value (`"configWriteErrorCode"`).
        member: &'static str,
        /// The string enum whose values it takes.
        type_name: &'static str,
    },
}

impl MethodError {
    /// -32602 (invalid params): the params fit their type, but not the method's rules.
    pub const fn invalid_params(when: &'static str) -> Self {
        MethodError { code: ErrorCode::INVALID_PARAMS, when, data: None }
    }

    /// -32600 (invalid request): the request cannot be carried out as asked.
    pub const fn invalid_request(when: &'static str) -> Self {
        MethodError { code: ErrorCode::INVALID_REQUEST, when, data: None }
    }

    /// -32600 with `data: { "<member>": <value> }`, one error per value of `type_name` (see
    /// [`ErrorData::EachValueOf`]).
    pub const fn invalid_request_per_value(member: &'static str, type_name: &'static str) -> Self {
        MethodError {
            code: ErrorCode::INVALID_REQUEST,
            when: "",
            data: Some(ErrorData::EachValueOf { member, type_name }),
        }
    }
}

/// The errors of a paginated method whose page size is the params member `$size` (`"limit"`,
/// v1's `"pageSize"`): the one place that states the paging rules' refusals.
macro_rules! page_errors {
    ($size:literal) => {
        &[
            $crate::row::MethodError::invalid_params(concat!(
                "`",
                $size,
                "` is `0` (a page holds at least one item)"
            )),
            $crate::row::MethodError::invalid_params(
                "`cursor` is not a `nextCursor` the server gave out",
            ),
        ]
    };
}
