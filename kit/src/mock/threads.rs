//! The threads of one mock process, shared by all its connections: created by `thread/start`
//! (and v1 `newConversation`), listed newest first with full pages, archived, resumed with
//! their turns, and the turn running on each.

use std::collections::HashMap;
use std::num::{NonZeroU32, NonZeroUsize};

use app_server_behaviour::pagination::{Page, PageError, Paginator, SourcePage};
use app_server_protocol::JsonRpcError;
use app_server_protocol::v2::{Thread, Turn};
use tokio::sync::watch;

/// How many threads one raw page of the store holds (the page filler reads as many raw
/// pages as a full page needs).
const RAW_PAGE: usize = 64;

/// A thread and what the mock keeps beside it.
#[derive(Debug)]
pub(crate) struct ThreadRecord {
    /// The thread, with every finished turn.
    pub(crate) thread: Thread,
    /// Archived threads stay in the store (cursors name them) but are never listed.
    pub(crate) archived: bool,
    /// The working directory its turns run in.
    pub(crate) cwd: String,
    /// The model its turns use.
    pub(crate) model: String,
    /// The turn running now, if any.
    pub(crate) running: Option<RunningTurn>,
    /// How many submissions the thread got (turns, approval answers, interrupts): the next
    /// turn's id is this count, as released servers number them.
    submissions: u64,
    /// A turn was started on it: listings show only such threads, as released servers do
    /// (a thread is stored once it has a user message).
    has_user_message: bool,
}

/// A turn in progress: its id and the switch that interrupts it.
#[derive(Debug)]
pub(crate) struct RunningTurn {
    /// The turn's id.
    pub(crate) id: String,
    /// Set to `true` by `turn/interrupt`.
    pub(crate) interrupt: watch::Sender<bool>,
}

/// Every thread, in creation order (the listing is the reverse: newest first).
#[derive(Debug, Default)]
pub(crate) struct Store {
    threads: Vec<ThreadRecord>,
    by_id: HashMap<String, usize>,
}

/// The error for a thread id the store does not know.
pub(crate) fn unknown_thread(id: &str) -> JsonRpcError {
    JsonRpcError::invalid_request(format!("thread not found: {id}"))
}

impl Store {
    /// Adds a thread; returns a copy of it.
    pub(crate) fn insert(&mut self, thread: Thread, cwd: String, model: String) -> Thread {
        let copy = thread.clone();
        self.by_id.insert(thread.id.clone(), self.threads.len());
        self.threads.push(ThreadRecord {
            thread,
            archived: false,
            cwd,
            model,
            running: None,
            submissions: 0,
            has_user_message: false,
        });
        copy
    }

    /// The thread `id`, archived or not.
    pub(crate) fn get(&self, id: &str) -> Result<&ThreadRecord, JsonRpcError> {
        self.by_id.get(id).map(|&index| &self.threads[index]).ok_or_else(|| unknown_thread(id))
    }

    /// The thread `id`, to change it.
    pub(crate) fn get_mut(&mut self, id: &str) -> Result<&mut ThreadRecord, JsonRpcError> {
        match self.by_id.get(id) {
            Some(&index) => Ok(&mut self.threads[index]),
            None => Err(unknown_thread(id)),
        }
    }

    /// Archives the thread `id` (again: no change).
    pub(crate) fn archive(&mut self, id: &str) -> Result<(), JsonRpcError> {
        self.get_mut(id)?.archived = true;
        Ok(())
    }

    /// The id of the thread's next submission (`"0"`, `"1"`, …); counts it.
    pub(crate) fn next_submission(&mut self, id: &str) -> String {
        match self.get_mut(id) {
            Ok(record) => {
                record.submissions += 1;
                (record.submissions - 1).to_string()
            }
            Err(_) => String::new(),
        }
    }

    /// One page of the listed threads (unarchived, with a user message) of `providers` (all
    /// when `None`), newest first, as
    /// the pagination contract says: full pages, `nextCursor` `None` exactly when nothing is
    /// left. A cursor this listing did not make is -32602 at `params.cursor`.
    pub(crate) fn list(
        &self,
        cursor: Option<&str>,
        limit: Option<NonZeroU32>,
        providers: Option<&[String]>,
    ) -> Result<Page<Thread>, JsonRpcError> {
        let mut source = |cursor: Option<&str>| self.raw_page(cursor);
        let matches = |(hidden, thread): &(bool, Thread)| {
            !hidden && providers.is_none_or(|providers| providers.contains(&thread.model_provider))
        };
        // A listing whose threads are mostly archived or filtered out still fills its pages:
        // allow as many fetches as the store has raw pages.
        let fetches =
            NonZeroUsize::new(self.threads.len() / RAW_PAGE + 2).unwrap_or(NonZeroUsize::MIN);
        let page = Paginator::new()
            .with_max_source_fetches(fetches)
            .fill(&mut source, matches, cursor, limit)
            .map_err(|error: PageError<JsonRpcError>| match error {
                PageError::Source(error) => error,
                invalid => invalid.into(),
            })?;
        Ok(Page {
            items: page.items.into_iter().map(|(_, thread)| thread).collect(),
            next_cursor: page.next_cursor,
            fetch_bound_hit: page.fetch_bound_hit,
        })
    }

    /// The raw page below the index the cursor names (newest first): each thread without its
    /// turns, with whether it is hidden (archived, or without a user message). Hidden threads
    /// stay in the raw pages (and are filtered out), so that a raw page never changes and
    /// cursors chain exactly.
    fn raw_page(&self, cursor: Option<&str>) -> Result<SourcePage<(bool, Thread)>, JsonRpcError> {
        let below = match cursor {
            None => self.threads.len(),
            Some(cursor) => cursor
                .parse::<usize>()
                .ok()
                .filter(|&index| index <= self.threads.len())
                .ok_or_else(|| {
                    JsonRpcError::from(PageError::<String>::InvalidCursor {
                        cursor: cursor.to_owned(),
                    })
                })?,
        };
        let start = below.saturating_sub(RAW_PAGE);
        let items = self.threads[start..below]
            .iter()
            .rev()
            .map(|record| {
                let hidden = record.archived || !record.has_user_message;
                (hidden, Thread { turns: Vec::new(), ..record.thread.clone() })
            })
            .collect();
        Ok(SourcePage { items, next_cursor: (start > 0).then(|| start.to_string()) })
    }

    /// Starts a turn on thread `thread_id`: refused when one is running already. Returns its
    /// id (the thread's next submission) and the receiver of its interrupt switch.
    pub(crate) fn start_turn(
        &mut self,
        thread_id: &str,
        preview: &str,
    ) -> Result<(String, watch::Receiver<bool>), JsonRpcError> {
        let record = self.get_mut(thread_id)?;
        if let Some(running) = &record.running {
            return Err(JsonRpcError::invalid_request(format!(
                "turn {} is still running on thread {thread_id}; interrupt it or wait for turn/completed",
                running.id
            )));
        }
        if record.thread.preview.is_empty() {
            record.thread.preview = preview.chars().take(80).collect();
        }
        record.has_user_message = true;
        let turn_id = record.submissions.to_string();
        record.submissions += 1;
        let (interrupt, interrupted) = watch::channel(false);
        record.running = Some(RunningTurn { id: turn_id.clone(), interrupt });
        Ok((turn_id, interrupted))
    }

    /// Interrupts turn `turn_id` of thread `thread_id`; refused when it is not running.
    pub(crate) fn interrupt(&mut self, thread_id: &str, turn_id: &str) -> Result<(), JsonRpcError> {
        let record = self.get_mut(thread_id)?;
        match &record.running {
            Some(running) if running.id == turn_id => {
                running.interrupt.send_replace(true);
                record.submissions += 1;
                Ok(())
            }
            _ => Err(JsonRpcError::invalid_request(format!(
                "no turn {turn_id} is running on thread {thread_id}"
            ))),
        }
    }

    /// The id of the turn running on thread `thread_id`, if any.
    pub(crate) fn running_turn(&self, thread_id: &str) -> Option<String> {
        self.get(thread_id).ok()?.running.as_ref().map(|running| running.id.clone())
    }

    /// Stores a finished turn on its thread and clears the running turn.
    pub(crate) fn finish_turn(&mut self, thread_id: &str, turn: Turn) {
        if let Ok(record) = self.get_mut(thread_id) {
            if record.running.as_ref().is_some_and(|running| running.id == turn.id) {
                record.running = None;
            }
            record.thread.turns.push(turn);
        }
    }

    /// How many threads the store holds (archived included).
    pub(crate) fn len(&self) -> usize {
        self.threads.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(index: usize, provider: &str) -> Thread {
        Thread {
            id: format!("thr_{index}"),
            preview: String::new(),
            model_provider: provider.into(),
            created_at: index as i64,
            path: String::new(),
            turns: Vec::new(),
        }
    }

    fn ids(page: &Page<Thread>) -> Vec<String> {
        page.items.iter().map(|thread| thread.id.clone()).collect()
    }

    #[test]
    fn pages_are_full_newest_first_and_skip_archived_unstarted_and_filtered_threads() {
        let mut store = Store::default();
        for index in 0..200 {
            let provider = if index % 3 == 0 { "other" } else { "openai" };
            store.insert(thread(index, provider), String::new(), String::new());
            if index % 7 != 0 {
                store.start_turn(&format!("thr_{index}"), "hi").unwrap();
            }
        }
        for index in (0..200).filter(|index| index % 5 == 0) {
            store.archive(&format!("thr_{index}")).unwrap();
        }
        let expected: Vec<String> = (0..200)
            .rev()
            .filter(|index| index % 3 != 0 && index % 5 != 0 && index % 7 != 0)
            .map(|index| format!("thr_{index}"))
            .collect();
        let providers = vec!["openai".to_owned()];
        let limit = NonZeroU32::new(7);
        let (mut seen, mut cursor) = (Vec::new(), None::<String>);
        loop {
            let page = store.list(cursor.as_deref(), limit, Some(&providers)).unwrap();
            seen.extend(ids(&page));
            match page.next_cursor {
                Some(next) => {
                    assert_eq!(page.items.len(), 7, "a page before the end is full");
                    cursor = Some(next);
                }
                None => break,
            }
        }
        assert_eq!(seen, expected);
        assert_eq!(store.list(Some("bogus"), limit, None).unwrap_err().code.0, -32602);
    }
}
