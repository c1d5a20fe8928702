//! Scenarios `pagination` (full pages and `nextCursor`, C2) and `login` (idempotent login
//! cancellation, C1).

use serde_json::{Value, json};

use super::turn::{play_turn, start_thread};
use super::{Abort, During, start};
use crate::conform::session::{Answer, Session};

const FULL: &str = "pagination.full-pages";
const CURSOR: &str = "pagination.next-cursor";
const ZERO: &str = "pagination.limit-zero";

/// How many threads the scenario creates, and the page sizes it walks them with.
const THREADS: usize = 5;
const PAGE_SIZES: [u32; 3] = [1, 2, 3];
/// The prompt of each thread's turn (a plain answer from the stand-in model API).
pub(super) const PROMPT: &str = "conform: a thread to list";
/// The page size of the reference listing.
const BIG_PAGE: u32 = 100;
/// More pages than this in one walk: the cursor never ends.
const MAX_PAGES: usize = 200;

/// One page of `thread/list`.
struct Page {
    ids: Vec<String>,
    cursor: Option<String>,
    answer: Answer,
}

/// Scenario `pagination`: threads the server will list (each has a turn with a user
/// message: released servers list no thread without one), then the listing walked with
/// several page sizes.
pub async fn pagination_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let mut created = Vec::new();
    for _ in 0..THREADS {
        let thread_id = start_thread(session, FULL).await?;
        play_turn(session, FULL, &thread_id, PROMPT).await?;
        created.push(thread_id);
    }
    let reference = walk(session, BIG_PAGE).await?;
    let listed = reference.iter().flat_map(|p| &p.ids).filter(|id| created.contains(id)).count();
    if listed < 2 {
        let why = format!(
            "`thread/list` lists {listed} of the {THREADS} threads created (each with a finished turn): nothing to page"
        );
        session.recorder.skip(FULL, session.scenario, why.clone());
        session.recorder.skip(CURSOR, session.scenario, why);
    } else {
        let mut cursors = 0;
        for limit in PAGE_SIZES {
            let pages = walk(session, limit).await?;
            cursors += pages.iter().filter(|page| page.cursor.is_some()).count();
            check_full_pages(session, limit, &pages);
            check_cursor(session, limit, &pages, &reference, &created);
        }
        if cursors == 0 {
            let why = "no page had a `nextCursor`: no page to hold to `limit`";
            session.recorder.skip(FULL, session.scenario, why);
        }
    }
    let zero = session.request("thread/list", Some(json!({ "limit": 0 }))).await.during(ZERO)?;
    match (zero.error_code(), zero.error_path()) {
        (Some(-32602), Some("params.limit")) => session.recorder.pass(ZERO),
        _ => session.recorder.fail(
            ZERO,
            session.scenario,
            "expected error -32602 with `error.data.path` \"params.limit\"",
            Some(&zero.line),
        ),
    }
    Ok(())
}

/// Lists every page with page size `limit`, following `nextCursor` (at most
/// [`MAX_PAGES`] pages).
async fn walk(session: &mut Session, limit: u32) -> Result<Vec<Page>, Abort> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    while pages.len() < MAX_PAGES {
        let mut params = json!({ "limit": limit });
        if let Some(cursor) = &cursor {
            params["cursor"] = json!(cursor);
        }
        let answer = session.request("thread/list", Some(params)).await.during(FULL)?;
        let Some(result) = answer.result() else {
            let message = format!("`thread/list` with limit {limit} was answered with an error");
            session.recorder.fail(FULL, session.scenario, message, Some(&answer.line));
            return Err(Abort::skip("`thread/list` failed"));
        };
        let items = result.get("data").and_then(Value::as_array).cloned().unwrap_or_default();
        let ids = items.iter().filter_map(|t| t.get("id")?.as_str().map(str::to_owned)).collect();
        cursor = result.get("nextCursor").and_then(Value::as_str).map(str::to_owned);
        let last = cursor.is_none();
        pages.push(Page { ids, cursor: cursor.clone(), answer });
        if last {
            break;
        }
    }
    Ok(pages)
}

/// Every page with a `nextCursor` holds exactly `limit` threads (evaluated when a page has
/// one).
fn check_full_pages(session: &mut Session, limit: u32, pages: &[Page]) {
    for page in pages.iter().filter(|page| page.cursor.is_some()) {
        session.recorder.pass(FULL);
        if page.ids.len() != limit as usize {
            let message = format!(
                "a page of limit {limit} with a `nextCursor` holds {} threads: only the last page may be short",
                page.ids.len()
            );
            session.recorder.fail(FULL, session.scenario, message, Some(&page.answer.line));
        }
    }
}

/// The walk ends (`nextCursor` null) and lists the threads the scenario created in the
/// order the reference listing has them.
fn check_cursor(
    session: &mut Session,
    limit: u32,
    pages: &[Page],
    reference: &[Page],
    created: &[String],
) {
    let scenario = session.scenario;
    let last = pages.last().map(|page| page.answer.line.clone());
    if pages.last().is_some_and(|page| page.cursor.is_some()) {
        let message = format!("limit {limit}: still a `nextCursor` after {MAX_PAGES} pages");
        session.recorder.fail(CURSOR, scenario, message, last.as_deref());
        return;
    }
    let ours = |pages: &[Page]| -> Vec<String> {
        pages.iter().flat_map(|p| p.ids.iter()).filter(|id| created.contains(id)).cloned().collect()
    };
    let (listed, expected) = (ours(pages), ours(reference));
    if listed != expected {
        let message = format!(
            "limit {limit}: paging to `nextCursor: null` listed {} of the {} threads created ({listed:?}); a page of {BIG_PAGE} lists {expected:?}",
            listed.len(),
            created.len()
        );
        session.recorder.fail(CURSOR, scenario, message, last.as_deref());
    } else {
        session.recorder.pass(CURSOR);
    }
}

const CANCEL: &str = "login.cancel-idempotent";

/// Scenario `login`: a started ChatGPT login cancelled twice, and an unknown one.
pub async fn login_scenario(session: &mut Session) -> Result<(), Abort> {
    start(session).await?;
    let login = session.request("account/login/start", Some(json!({ "type": "chatgpt" }))).await;
    let login = login.during(CANCEL)?;
    let login_id = login.result().and_then(|r| r.get("loginId")).and_then(Value::as_str);
    if let Some(login_id) = login_id.map(str::to_owned) {
        cancel(session, &login_id, &["canceled", "notFound"]).await?;
        cancel(session, &login_id, &["notFound", "canceled"]).await?;
    }
    cancel(session, "conform-never-started", &["notFound"]).await?;
    Ok(())
}

/// Cancels `login_id` and records whether the answer is a result with one of `statuses`.
async fn cancel(session: &mut Session, login_id: &str, statuses: &[&str]) -> Result<(), Abort> {
    let params = json!({ "loginId": login_id });
    let answer = session.request("account/login/cancel", Some(params)).await.during(CANCEL)?;
    let status = answer.result().and_then(|r| r.get("status")).and_then(Value::as_str);
    match status {
        Some(status) if statuses.contains(&status) => session.recorder.pass(CANCEL),
        _ => session.recorder.fail(
            CANCEL,
            session.scenario,
            format!("cancelling login `{login_id}`: expected a result with `status` {statuses:?}"),
            Some(&answer.line),
        ),
    }
    Ok(())
}
