//! What the fidelity test finds: an event only one side sent in a step.

/// Which side sent an event the other did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// Only the released server.
    Release,
    /// Only the mock.
    Mock,
}

impl Side {
    /// The side's word in the list file and the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Release => "release",
            Side::Mock => "mock",
        }
    }
}

/// One difference: an event (`count` times) that only one side sent in a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The step's name (`session` for the unordered events).
    pub step: String,
    /// Which side sent it.
    pub side: Side,
    /// The event.
    pub event: String,
    /// How many times, in that step.
    pub count: usize,
}
