//! C2: full pages from a filtered, paginated source.

use std::num::{NonZeroU32, NonZeroUsize};

use app_server_behaviour::pagination::{
    DEFAULT_PAGE_LIMIT, Page, PageError, Paginator, SourcePage, fill_page,
};
use app_server_protocol::ErrorCode;
use proptest::prelude::*;

/// A store serving `data` in raw pages of `page_size`, its cursor being the start index.
/// With `empty_every` = n > 0, every n-th raw page comes back empty (a source may do that).
struct VecSource {
    data: Vec<u32>,
    page_size: usize,
    empty_every: usize,
    fetches: usize,
}

impl VecSource {
    fn new(data: Vec<u32>, page_size: usize) -> Self {
        VecSource { data, page_size, empty_every: 0, fetches: 0 }
    }

    fn fetch(&mut self, cursor: Option<&str>) -> Result<SourcePage<u32>, String> {
        self.fetches += 1;
        let start: usize = match cursor {
            None => 0,
            Some(cursor) => cursor
                .strip_prefix('e')
                .unwrap_or(cursor)
                .parse()
                .map_err(|error| format!("bad source cursor {cursor:?}: {error}"))?,
        };
        // An "e" cursor is the empty page inserted before `start`.
        if self.empty_every > 0
            && cursor.is_some_and(|c| !c.starts_with('e'))
            && start.is_multiple_of(self.empty_every)
        {
            return Ok(SourcePage { items: vec![], next_cursor: Some(format!("e{start}")) });
        }
        let end = (start + self.page_size).min(self.data.len());
        Ok(SourcePage {
            items: self.data[start..end].to_vec(),
            next_cursor: (end < self.data.len()).then(|| end.to_string()),
        })
    }
}

impl app_server_behaviour::pagination::PageSource for VecSource {
    type Item = u32;
    type Error = String;

    fn fetch(&mut self, cursor: Option<&str>) -> Result<SourcePage<u32>, String> {
        VecSource::fetch(self, cursor)
    }
}

/// A page size (`limit` of a request), at least 1.
fn limit(size: u32) -> Option<NonZeroU32> {
    Some(NonZeroU32::new(size).expect("a page size is at least 1"))
}

/// Follows cursors to the end; returns every page. Panics if it does not end.
fn all_pages(
    source: &mut VecSource,
    paginator: Paginator,
    filter: impl Fn(&u32) -> bool,
    limit: u32,
) -> Vec<Page<u32>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page =
            paginator.fill(source, &filter, cursor.as_deref(), NonZeroU32::new(limit)).unwrap();
        cursor = page.next_cursor.clone();
        pages.push(page);
        assert!(pages.len() <= 10_000, "pagination does not terminate");
        if cursor.is_none() {
            return pages;
        }
    }
}

#[derive(Debug, Clone)]
enum Filter {
    Nothing,
    Everything,
    Modulo(u32, u32),
    Below(u32),
}

impl Filter {
    fn accepts(&self, item: &u32) -> bool {
        match self {
            Filter::Nothing => false,
            Filter::Everything => true,
            Filter::Modulo(m, r) => item % m == *r,
            Filter::Below(bound) => item < bound,
        }
    }
}

fn filter_strategy() -> impl Strategy<Value = Filter> {
    prop_oneof![
        Just(Filter::Nothing),
        Just(Filter::Everything),
        (2u32..6).prop_flat_map(|m| (Just(m), 0..m)).prop_map(|(m, r)| Filter::Modulo(m, r)),
        (0u32..100).prop_map(Filter::Below),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Concatenating all pages gives the filtered dataset in order; every page but the last is
    /// full; only the last page has no cursor.
    #[test]
    fn pages_chain_to_the_filtered_dataset(
        data in proptest::collection::vec(0u32..100, 0..60),
        filter in filter_strategy(),
        limit in 1u32..9,
        source_page_size in 1usize..8,
        empty_every in 0usize..4,
    ) {
        let mut source = VecSource::new(data.clone(), source_page_size);
        source.empty_every = empty_every;
        let paginator = Paginator::new().with_max_source_fetches(NonZeroUsize::new(1000).unwrap());
        let pages = all_pages(&mut source, paginator, |n| filter.accepts(n), limit);

        let expected: Vec<u32> = data.iter().copied().filter(|n| filter.accepts(n)).collect();
        let got: Vec<u32> = pages.iter().flat_map(|page| page.items.clone()).collect();
        prop_assert_eq!(&got, &expected);
        let (last, rest) = pages.split_last().unwrap();
        for page in rest {
            prop_assert!(!page.fetch_bound_hit);
            prop_assert_eq!(page.items.len(), limit as usize);
            prop_assert!(page.next_cursor.is_some());
        }
        prop_assert!(last.next_cursor.is_none());
        prop_assert!(last.items.len() <= limit as usize);
        // Look-ahead: a non-empty listing never ends with an empty page.
        if !expected.is_empty() {
            prop_assert!(!last.items.is_empty());
        }
        prop_assert_eq!(pages.len(), expected.len().div_ceil(limit as usize).max(1));
    }

    /// With a tight fetch bound pages may be short, but nothing is lost or repeated and the
    /// listing still ends.
    #[test]
    fn fetch_bound_keeps_every_item_exactly_once(
        data in proptest::collection::vec(0u32..100, 0..60),
        filter in filter_strategy(),
        limit in 1u32..9,
        source_page_size in 1usize..5,
        max_fetches in 1usize..4,
    ) {
        let mut source = VecSource::new(data.clone(), source_page_size);
        let paginator = Paginator::new().with_max_source_fetches(NonZeroUsize::new(max_fetches).unwrap());
        let fetches_before = source.fetches;
        let pages = all_pages(&mut source, paginator, |n| filter.accepts(n), limit);
        prop_assert!(source.fetches - fetches_before <= pages.len() * max_fetches);

        let expected: Vec<u32> = data.iter().copied().filter(|n| filter.accepts(n)).collect();
        let got: Vec<u32> = pages.iter().flat_map(|page| page.items.clone()).collect();
        prop_assert_eq!(got, expected);
        for page in &pages {
            prop_assert!(page.items.len() <= limit as usize);
            if !page.fetch_bound_hit && page.next_cursor.is_some() {
                prop_assert_eq!(page.items.len(), limit as usize);
            }
        }
    }
}

#[test]
fn a_page_that_exactly_ends_the_listing_has_no_cursor() {
    // 6 items in raw pages of 3, limit 3: the second page ends the listing exactly.
    let mut source = VecSource::new((0..6).collect(), 3);
    let first = fill_page(&mut source, |_: &u32| true, None, limit(3)).unwrap();
    assert_eq!(first.items, vec![0, 1, 2]);
    assert!(first.next_cursor.is_some());
    let second =
        fill_page(&mut source, |_: &u32| true, first.next_cursor.as_deref(), limit(3)).unwrap();
    assert_eq!(second.items, vec![3, 4, 5]);
    assert_eq!(second.next_cursor, None);

    // Same when only non-matching items follow the last match.
    let mut source = VecSource::new(vec![1, 2, 3, 5, 7, 9], 2);
    let page = fill_page(&mut source, |n: &u32| n.is_multiple_of(2), None, limit(1)).unwrap();
    assert_eq!(page.items, vec![2]);
    assert_eq!(page.next_cursor, None);
}

#[test]
fn cursor_resumes_inside_a_source_page() {
    // One raw page holds everything; pages of 2 resume at an offset within it.
    let mut source = VecSource::new((0..7).collect(), 100);
    let mut cursor = None;
    let mut seen = Vec::new();
    loop {
        let page = fill_page(&mut source, |_: &u32| true, cursor.as_deref(), limit(2)).unwrap();
        seen.extend(page.items);
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, (0..7).collect::<Vec<_>>());
}

#[test]
fn limit_defaults_to_25() {
    let mut source = VecSource::new((0..100).collect(), 10);
    let page = fill_page(&mut source, |_: &u32| true, None, None).unwrap();
    assert_eq!(page.items.len(), DEFAULT_PAGE_LIMIT.get() as usize);
    assert_eq!(DEFAULT_PAGE_LIMIT.get(), 25);
    // `limit: 0` cannot reach the helper: the decoder refuses it (the limit is a
    // `NonZeroU32`), with -32602 at `params.limit`.
    assert_eq!(NonZeroU32::new(0), None);
}

#[test]
fn bad_cursors_are_invalid_params() {
    let mut source = VecSource::new((0..10).collect(), 3);
    for cursor in ["", "garbage", "o", "o-3", "ox:1"] {
        let err = fill_page(&mut source, |_: &u32| true, Some(cursor), limit(2)).unwrap_err();
        assert_eq!(err, PageError::InvalidCursor { cursor: cursor.to_owned() });
        assert_eq!(err.json_rpc_code(), Some(ErrorCode::INVALID_PARAMS));
    }
    // A cursor whose source part the source rejects surfaces as a source error.
    let err = fill_page(&mut source, |_: &u32| true, Some("o0:nope"), limit(2)).unwrap_err();
    assert!(matches!(err, PageError::Source(ref message) if message.contains("nope")));
    assert_eq!(err.json_rpc_code(), None);
}

#[test]
fn source_errors_surface() {
    let mut calls = 0;
    let mut source = |cursor: Option<&str>| -> Result<SourcePage<u32>, String> {
        calls += 1;
        match cursor {
            None => Ok(SourcePage { items: vec![1, 2], next_cursor: Some("2".into()) }),
            Some(_) => Err("disk on fire".into()),
        }
    };
    let err = fill_page(&mut source, |_: &u32| true, None, limit(5)).unwrap_err();
    assert_eq!(err, PageError::Source("disk on fire".to_owned()));
    assert_eq!(err.to_string(), "listing failed: disk on fire");
    assert_eq!(calls, 2);
    let mapped: PageError<usize> = err.map_source(|message| message.len());
    assert_eq!(mapped, PageError::Source(12));
}

#[test]
fn fetch_bound_returns_a_short_page_with_a_cursor() {
    // Only the last item matches; with 2 fetches per page the first pages come back empty.
    let mut source = VecSource::new((0..10).collect(), 2);
    let paginator = Paginator::new().with_max_source_fetches(NonZeroUsize::new(2).unwrap());
    assert_eq!(paginator.max_source_fetches().get(), 2);
    let page = paginator.fill(&mut source, |n: &u32| *n == 9, None, limit(5)).unwrap();
    assert!(page.items.is_empty());
    assert!(page.fetch_bound_hit);
    assert_eq!(source.fetches, 2);
    let pages = all_pages(&mut source, paginator, |n| *n == 9, 5);
    let items: Vec<u32> = pages.iter().flat_map(|page| page.items.clone()).collect();
    assert_eq!(items, vec![9]);
}

#[test]
fn default_bound_is_documented_value() {
    assert_eq!(
        Paginator::default().max_source_fetches().get(),
        app_server_behaviour::pagination::DEFAULT_MAX_SOURCE_FETCHES
    );
}
