//! Full pages from a filtered, paginated source (change C2 of CHANGELOG.md): the helper behind `thread/list`,
//! `model/list`, `mcpServerStatus/list` and v1 `listConversations`.
//!
//! The contract every paginated method keeps: a page holds exactly `limit` items unless the
//! listing is exhausted, and `nextCursor` is `null` exactly when it is exhausted. A server
//! that fetches `limit` records and then filters them breaks it (short pages although more
//! matching records exist). [`fill_page`] (or a configured [`Paginator`]) does it right: it
//! keeps fetching raw pages from a [`PageSource`], keeps the items the filter accepts, stops
//! when it has `limit` of them, and looks ahead for one more matching item so that a page that
//! happens to end the listing says `nextCursor: null`.
//!
//! # Cursors
//!
//! The cursor it returns is opaque to clients and resumes right after the last *returned*
//! item, even when the source page that item came from held more items: it records the
//! source's own cursor of that raw page plus an offset within it. Cursors chain with no item
//! lost or repeated as long as the source serves the same raw page for the same source cursor
//! (true for the usual "items after key K" or "offset N" cursors; items added or removed
//! between two calls are the usual paging caveat). If a resumed raw page turns out shorter
//! than the offset, the helper continues with the next raw page.
//!
//! # Bounded work
//!
//! A very selective filter could make one page read the whole store. The helper makes at most
//! [`DEFAULT_MAX_SOURCE_FETCHES`] source fetches per page (change it with
//! [`Paginator::with_max_source_fetches`]). When the bound is hit it returns what it has
//! gathered — possibly a short or even empty page — with a non-null cursor to continue from,
//! and sets [`Page::fetch_bound_hit`]. Clients following cursors still get every item exactly
//! once; only the "full page" promise is relaxed for that page.
//!
//! # Page sizes
//!
//! The helper takes the `limit` of the paginated v2 methods as it is decoded, an
//! `Option<NonZeroU32>`: the decoder refuses `limit: 0` (-32602 at `params.limit`), so a `0`
//! cannot reach it. `None` means [`DEFAULT_PAGE_LIMIT`]. v1 `listConversations` decodes its
//! `pageSize` as an `Option<NonZeroUsize>`; pass it as
//! `page_size.map(|size| NonZeroU32::try_from(size).unwrap_or(NonZeroU32::MAX))`.
//!
//! # Example
//!
//! ```
//! use std::num::NonZeroU32;
//!
//! use app_server_behaviour::pagination::{fill_page, SourcePage};
//!
//! // A source serving 0..10 in raw pages of 3, its cursor being the start index.
//! let data: Vec<u32> = (0..10).collect();
//! let mut source = |cursor: Option<&str>| -> Result<SourcePage<u32>, std::num::ParseIntError> {
//!     let start: usize = cursor.map(str::parse).transpose()?.unwrap_or(0);
//!     let end = (start + 3).min(data.len());
//!     Ok(SourcePage {
//!         items: data[start..end].to_vec(),
//!         next_cursor: (end < data.len()).then(|| end.to_string()),
//!     })
//! };
//! let even = |n: &u32| n % 2 == 0;
//!
//! let limit = NonZeroU32::new(3);
//! let first = fill_page(&mut source, even, None, limit)?;
//! assert_eq!(first.items, vec![0, 2, 4]);
//! let second = fill_page(&mut source, even, first.next_cursor.as_deref(), limit)?;
//! assert_eq!(second.items, vec![6, 8]);
//! assert_eq!(second.next_cursor, None); // exhausted
//!
//! // A cursor the helper did not make is invalid params (-32602).
//! let err = fill_page(&mut source, even, Some("page-2"), limit).unwrap_err();
//! assert_eq!(err.json_rpc_code(), Some(app_server_protocol::ErrorCode::INVALID_PARAMS));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::num::{NonZeroU32, NonZeroUsize};

use app_server_protocol::{ErrorCode, JsonRpcError};

/// The page size used when a request gives no `limit`: 25, the contract's
/// [`ThreadListParams::DEFAULT_LIMIT`](app_server_protocol::v2::ThreadListParams::DEFAULT_LIMIT).
pub const DEFAULT_PAGE_LIMIT: NonZeroU32 = app_server_protocol::v2::ThreadListParams::DEFAULT_LIMIT;

/// How many source fetches one page may make by default (look-ahead included); see the
/// module docs, "Bounded work".
pub const DEFAULT_MAX_SOURCE_FETCHES: usize = 32;

/// One raw page as the underlying store returns it, before filtering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePage<T> {
    /// The items of this raw page, in listing order. May be empty even when more pages follow.
    pub items: Vec<T>,
    /// The source's cursor of the next raw page; `None` when this is the last one.
    pub next_cursor: Option<String>,
}

/// A paginated store the helper reads raw pages from.
///
/// Implemented for every closure `FnMut(Option<&str>) -> Result<SourcePage<T>, E>`; implement
/// it by hand for a type that holds its own state. `fetch(None)` returns the first raw page;
/// `fetch(Some(c))` the raw page at a cursor `c` that an earlier [`SourcePage::next_cursor`]
/// returned. The same cursor must yield the same page for cursors to chain exactly.
pub trait PageSource {
    /// The listed item.
    type Item;
    /// The store's error, surfaced as [`PageError::Source`].
    type Error;

    /// Returns the raw page at `cursor` (`None`: the first page).
    fn fetch(&mut self, cursor: Option<&str>) -> Result<SourcePage<Self::Item>, Self::Error>;
}

impl<F, T, E> PageSource for F
where
    F: FnMut(Option<&str>) -> Result<SourcePage<T>, E>,
{
    type Item = T;
    type Error = E;

    fn fetch(&mut self, cursor: Option<&str>) -> Result<SourcePage<T>, E> {
        self(cursor)
    }
}

/// One page of the filtered listing, ready to go into a `{ data, nextCursor }` response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The matching items, in listing order: exactly `limit` of them unless the listing is
    /// exhausted or [`Page::fetch_bound_hit`] is set.
    pub items: Vec<T>,
    /// The `nextCursor` to send: `None` exactly when no matching item is left (unless the
    /// fetch bound was hit during the look-ahead, in which case the next page may be empty).
    pub next_cursor: Option<String>,
    /// `true` when the page stopped because it used up its source fetches; the page may then
    /// be short, but `next_cursor` is set and continues where it stopped.
    pub fetch_bound_hit: bool,
}

/// Why a page could not be produced. Non-exhaustive: a `match` needs a `_` arm. (A `limit` of `0` is not among them: the decoder refuses
/// it, and the helper's `limit` is a `NonZeroU32`.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageError<E> {
    /// The `cursor` is not one this helper produced. Answer with -32602 (invalid params).
    InvalidCursor {
        /// The cursor as received.
        cursor: String,
    },
    /// The source failed; the server decides how to answer (usually -32603).
    Source(E),
}

impl<E> PageError<E> {
    /// The JSON-RPC error code to answer with: -32602 for a bad `cursor`; `None` for a source
    /// error, whose code depends on the source.
    pub fn json_rpc_code(&self) -> Option<ErrorCode> {
        match self {
            PageError::InvalidCursor { .. } => Some(ErrorCode::INVALID_PARAMS),
            PageError::Source(_) => None,
        }
    }

    /// Converts the source error, keeping the other variants.
    pub fn map_source<F, E2>(self, f: F) -> PageError<E2>
    where
        F: FnOnce(E) -> E2,
    {
        match self {
            PageError::InvalidCursor { cursor } => PageError::InvalidCursor { cursor },
            PageError::Source(error) => PageError::Source(f(error)),
        }
    }
}

impl<E: fmt::Display> fmt::Display for PageError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::InvalidCursor { cursor } => write!(f, "invalid cursor: {cursor:?}"),
            PageError::Source(error) => write!(f, "listing failed: {error}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for PageError<E> {}

/// The error to answer with: -32602 at `params.cursor` for a cursor the helper did not make
/// (with [`DecodeErrorData`](app_server_protocol::DecodeErrorData) in `data`), -32603 for a source
/// error (`listing failed: …`).
///
/// ```
/// use app_server_protocol::JsonRpcError;
/// use app_server_behaviour::pagination::PageError;
///
/// let error = JsonRpcError::from(PageError::<String>::InvalidCursor { cursor: "x".into() });
/// assert_eq!(error.code.0, -32602);
/// assert_eq!(error.data.unwrap()["path"], "params.cursor");
/// let error = JsonRpcError::from(PageError::Source("disk on fire"));
/// assert_eq!((error.code.0, error.message.as_str()), (-32603, "listing failed: disk on fire"));
/// ```
impl<E: fmt::Display> From<PageError<E>> for JsonRpcError {
    fn from(error: PageError<E>) -> Self {
        match error {
            PageError::InvalidCursor { .. } => {
                JsonRpcError::invalid_params("params.cursor", "a `nextCursor` of an earlier page")
            }
            PageError::Source(_) => JsonRpcError::internal(error.to_string()),
        }
    }
}

/// The page size to use for a request's `limit`: [`DEFAULT_PAGE_LIMIT`] when absent.
pub fn resolve_limit(limit: Option<NonZeroU32>) -> NonZeroUsize {
    let limit = limit.unwrap_or(DEFAULT_PAGE_LIMIT);
    NonZeroUsize::try_from(limit).unwrap_or(NonZeroUsize::MAX)
}

/// Fills one page with the default [`Paginator`]; see the module docs.
///
/// `cursor` is the request's `cursor` (`None` for the first page), `limit` its `limit`
/// (`None` → [`DEFAULT_PAGE_LIMIT`]).
pub fn fill_page<S, F>(
    source: &mut S,
    filter: F,
    cursor: Option<&str>,
    limit: Option<NonZeroU32>,
) -> Result<Page<S::Item>, PageError<S::Error>>
where
    S: PageSource,
    F: FnMut(&S::Item) -> bool,
{
    Paginator::default().fill(source, filter, cursor, limit)
}

/// A page filler with a configured bound on source fetches per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginator {
    max_source_fetches: NonZeroUsize,
}

impl Default for Paginator {
    fn default() -> Self {
        Paginator {
            max_source_fetches: NonZeroUsize::new(DEFAULT_MAX_SOURCE_FETCHES)
                .unwrap_or(NonZeroUsize::MIN),
        }
    }
}

impl Paginator {
    /// A paginator making at most [`DEFAULT_MAX_SOURCE_FETCHES`] source fetches per page.
    pub fn new() -> Self {
        Paginator::default()
    }

    /// Sets how many source fetches one page may make, look-ahead included.
    pub fn with_max_source_fetches(mut self, max_source_fetches: NonZeroUsize) -> Self {
        self.max_source_fetches = max_source_fetches;
        self
    }

    /// The configured bound on source fetches per page.
    pub fn max_source_fetches(&self) -> NonZeroUsize {
        self.max_source_fetches
    }

    /// Fills one page: see [`fill_page`] and the module docs.
    pub fn fill<S, F>(
        &self,
        source: &mut S,
        mut filter: F,
        cursor: Option<&str>,
        limit: Option<NonZeroU32>,
    ) -> Result<Page<S::Item>, PageError<S::Error>>
    where
        S: PageSource,
        F: FnMut(&S::Item) -> bool,
    {
        let limit = resolve_limit(limit).get();
        let mut position = match cursor {
            None => Position { source_cursor: None, offset: 0 },
            Some(cursor) => Position::decode(cursor)
                .ok_or_else(|| PageError::InvalidCursor { cursor: cursor.to_owned() })?,
        };
        let mut items = Vec::new();
        let mut fetches = 0;
        loop {
            if fetches == self.max_source_fetches.get() {
                return Ok(Page {
                    items,
                    next_cursor: Some(position.encode()),
                    fetch_bound_hit: true,
                });
            }
            let raw = source.fetch(position.source_cursor.as_deref()).map_err(PageError::Source)?;
            fetches += 1;
            let raw_len = raw.items.len();
            let skip = position.offset.min(raw_len);
            for (index, item) in raw.items.into_iter().enumerate().skip(skip) {
                if !filter(&item) {
                    continue;
                }
                if items.len() == limit {
                    // Look-ahead found one more matching item: resume exactly at it.
                    position.offset = index;
                    return Ok(Page {
                        items,
                        next_cursor: Some(position.encode()),
                        fetch_bound_hit: false,
                    });
                }
                items.push(item);
            }
            match raw.next_cursor {
                Some(next) => position = Position { source_cursor: Some(next), offset: 0 },
                None => return Ok(Page { items, next_cursor: None, fetch_bound_hit: false }),
            }
        }
    }
}

/// Where a page resumes: the raw page at `source_cursor`, from its `offset`-th raw item.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Position {
    source_cursor: Option<String>,
    offset: usize,
}

impl Position {
    /// `o<offset>` for the first raw page, `o<offset>:<source cursor>` otherwise.
    fn encode(&self) -> String {
        match &self.source_cursor {
            None => format!("o{}", self.offset),
            Some(source_cursor) => format!("o{}:{source_cursor}", self.offset),
        }
    }

    fn decode(cursor: &str) -> Option<Position> {
        let rest = cursor.strip_prefix('o')?;
        let (offset, source_cursor) = match rest.split_once(':') {
            Some((offset, source_cursor)) => (offset, Some(source_cursor.to_owned())),
            None => (rest, None),
        };
        if offset.is_empty() || !offset.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Position { source_cursor, offset: offset.parse().ok()? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_including_colons_and_empty_source_cursors() {
        for position in [
            Position { source_cursor: None, offset: 0 },
            Position { source_cursor: None, offset: 17 },
            Position { source_cursor: Some(String::new()), offset: 3 },
            Position { source_cursor: Some("a:b:c".to_owned()), offset: 1 },
        ] {
            assert_eq!(Position::decode(&position.encode()), Some(position));
        }
        for bad in ["", "o", "x1", "o-1", "o1x", "o:abc", "o99999999999999999999999"] {
            assert_eq!(Position::decode(bad), None, "{bad:?}");
        }
    }
}
