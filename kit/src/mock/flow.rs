//! How a run of turn steps goes on ([`Flow`]), and what an approval request came back with
//! ([`Asked`]), read as one [`Decision`] whatever the API's words for it.

use app_server_protocol::v1::ReviewDecision;
use app_server_protocol::v2::{
    CommandExecutionApprovalDecision as CommandDecision,
    FileChangeApprovalDecision as FileDecision, TurnError,
};

/// How a run of steps ended.
pub(crate) enum Flow {
    /// Go on with the next step.
    Continue,
    /// `turn/interrupt` or a `cancel` decision.
    Interrupted,
    /// An `error` step with `willRetry: false`.
    Failed(TurnError),
    /// The connection is gone: nothing more can be sent.
    Closed,
}

/// The outcome of an approval request.
pub(crate) enum Asked<T> {
    /// The client's answer (an error answer, or one that does not fit, counts as declined).
    Answer(T),
    /// The turn was interrupted while the client was asked.
    Interrupted,
    /// The connection is gone.
    Closed,
}

impl<T> Asked<T> {
    /// The answer mapped, the other outcomes as they are.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Asked<U> {
        match self {
            Asked::Answer(answer) => Asked::Answer(f(answer)),
            Asked::Interrupted => Asked::Interrupted,
            Asked::Closed => Asked::Closed,
        }
    }
}

/// What the user decided, whatever the approval's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Go ahead.
    Accept,
    /// Do not; the turn goes on.
    Decline,
    /// Do not, and stop the turn (also: interrupted while asking).
    Cancel,
    /// The connection is gone.
    Closed,
}

impl From<Asked<CommandDecision>> for Decision {
    fn from(asked: Asked<CommandDecision>) -> Self {
        match asked {
            Asked::Answer(CommandDecision::Decline) => Decision::Decline,
            Asked::Answer(CommandDecision::Cancel) | Asked::Interrupted => Decision::Cancel,
            Asked::Answer(_) => Decision::Accept,
            Asked::Closed => Decision::Closed,
        }
    }
}

impl From<Asked<FileDecision>> for Decision {
    fn from(asked: Asked<FileDecision>) -> Self {
        match asked {
            Asked::Answer(FileDecision::Decline) => Decision::Decline,
            Asked::Answer(FileDecision::Cancel) | Asked::Interrupted => Decision::Cancel,
            Asked::Answer(FileDecision::Accept | FileDecision::AcceptForSession) => {
                Decision::Accept
            }
            Asked::Closed => Decision::Closed,
        }
    }
}

impl From<Asked<ReviewDecision>> for Decision {
    fn from(asked: Asked<ReviewDecision>) -> Self {
        match asked {
            Asked::Answer(ReviewDecision::Denied) => Decision::Decline,
            Asked::Answer(ReviewDecision::Abort) | Asked::Interrupted => Decision::Cancel,
            Asked::Answer(_) => Decision::Accept,
            Asked::Closed => Decision::Closed,
        }
    }
}
