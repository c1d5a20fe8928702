//! Code review events of the core [`EventMsg`](crate::v1::EventMsg) family: entering review mode
//! ([`ReviewRequest`]) and leaving it with the review's findings ([`ExitedReviewModeEvent`]).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Payload of `entered_review_mode`: what the review was asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReviewRequest {
    /// The instructions given to the reviewer.
    pub prompt: String,
    /// A short description of what is reviewed, for display, e.g. `"current changes"`.
    pub user_facing_hint: String,
    /// Whether the review's result is added to the original conversation; `false` when
    /// absent.
    #[serde(default)]
    pub append_to_original_thread: bool,
}

/// Payload of `exited_review_mode`: the review ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ExitedReviewModeEvent {
    /// The review's result; `null` when the review was interrupted or produced none.
    pub review_output: Option<ReviewOutputEvent>,
}

/// The result of a code review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReviewOutputEvent {
    /// The problems found, most important first.
    pub findings: Vec<ReviewFinding>,
    /// The reviewer's verdict on the change as a whole, e.g. `"patch is correct"`.
    pub overall_correctness: String,
    /// Why the reviewer reached that verdict.
    pub overall_explanation: String,
    /// How sure the reviewer is of the verdict, from 0 to 1.
    pub overall_confidence_score: f32,
}

/// One problem found by a code review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReviewFinding {
    /// A one-line title.
    pub title: String,
    /// The explanation (Markdown).
    pub body: String,
    /// How sure the reviewer is, from 0 to 1.
    pub confidence_score: f32,
    /// How urgent it is; lower is more urgent (0 = must fix).
    pub priority: i32,
    /// Where in the code the problem is.
    pub code_location: ReviewCodeLocation,
}

/// A place in the code a review finding points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReviewCodeLocation {
    /// Absolute path of the file.
    pub absolute_file_path: PathBuf,
    /// The lines concerned.
    pub line_range: ReviewLineRange,
}

/// A range of lines in a file, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ReviewLineRange {
    /// First line (1-based).
    pub start: u32,
    /// Last line (1-based).
    pub end: u32,
}
