//! The sessions run against each release, by name. Each gets its own CODEX_HOME, stand-in
//! model API and server process; what the release does differently from our contract becomes
//! a finding (checked against its deviation list), what stops a session (no answer, no end of
//! a turn in time, a closed connection) fails it.

mod v1;
mod v2;

use super::session::Session;

use std::future::Future;
use std::pin::Pin;

/// The steps of a session, on an open session.
pub type Steps =
    for<'a> fn(&'a mut Session) -> Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>;

/// One session: its name, what it does, its steps.
#[derive(Clone, Copy)]
pub struct Spec {
    /// The name (`--session NAME`, the transcript's file name).
    pub name: &'static str,
    /// What it does, in a line.
    pub about: &'static str,
    /// Its steps.
    pub steps: Steps,
}

/// Every session, in the order they run.
pub const ALL: &[Spec] = &[
    Spec {
        name: "v2-turn",
        about: "initialize, thread/start, a plain turn (\"hello\") to turn/completed",
        steps: |s| Box::pin(v2::turn(s)),
    },
    Spec {
        name: "v2-command-accept",
        about: "a command approval (RUN) accepted: the command runs, the turn completes",
        steps: |s| Box::pin(v2::command(s, true)),
    },
    Spec {
        name: "v2-command-decline",
        about: "a command approval (RUN) declined: the command item is declined",
        steps: |s| Box::pin(v2::command(s, false)),
    },
    Spec {
        name: "v2-file-change",
        about: "a file-change approval (PATCH) accepted: the patch is applied",
        steps: |s| Box::pin(v2::file_change(s)),
    },
    Spec {
        name: "v2-failed-turn",
        about: "the model fails (FAIL): `error` willRetry true, then false, the turn fails",
        steps: |s| Box::pin(v2::failed_turn(s)),
    },
    Spec {
        name: "v2-interrupt",
        about: "a slow answer (SLOW) interrupted with turn/interrupt",
        steps: |s| Box::pin(v2::interrupt(s)),
    },
    Spec {
        name: "v2-threads",
        about: "thread/list, thread/resume, thread/archive after a turn",
        steps: |s| Box::pin(v2::threads(s)),
    },
    Spec {
        name: "v2-errors",
        about: "an unknown method and params of the wrong type: the error codes",
        steps: |s| Box::pin(v2::errors(s)),
    },
    Spec {
        name: "v1-message",
        about: "newConversation, addConversationListener, sendUserMessage to task_complete",
        steps: |s| Box::pin(v1::message(s)),
    },
    Spec {
        name: "v1-approvals",
        about: "sendUserTurn with execCommandApproval approved and denied; applyPatchApproval",
        steps: |s| Box::pin(v1::approvals(s)),
    },
];

/// The session named `name`.
pub fn find(name: &str) -> Option<&'static Spec> {
    ALL.iter().find(|spec| spec.name == name)
}

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn names_are_unique_and_fit_a_file_name() {
        for (i, spec) in ALL.iter().enumerate() {
            assert!(
                spec.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
            assert!(ALL[..i].iter().all(|earlier| earlier.name != spec.name), "{}", spec.name);
        }
    }
}
