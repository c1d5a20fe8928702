//! The core protocol's event family, [`EventMsg`]: everything an agent session reports while it
//! runs (messages, reasoning, commands, patches, tool calls, token usage …). v1 embeds it in
//! `resumeConversation` and `sessionConfigured` (`initialMessages`) and streams it to
//! conversation listeners.
//!
//! The wire keeps the core protocol's spelling: the `type` tag and every field are snake_case.
//! Optional fields are written as explicit `null`, except the few the core protocol leaves out
//! when absent (each says so in its docs).

use app_server_protocol_derive::DeserializeTagFirst;
use serde::Serialize;

pub mod exec;
pub mod items;
pub mod mcp;
pub mod messages;
pub mod review;
pub mod session;
pub mod stream;
pub mod usage;

pub use exec::*;
pub use items::*;
pub use mcp::*;
pub use messages::*;
pub use review::*;
pub use session::*;
pub use stream::*;
pub use usage::*;

/// One event of an agent session, tagged by `type` (snake_case). The other members of the
/// object are those of the variant's payload, e.g.
/// `{ "type": "agent_message", "message": "Done." }`.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeTagFirst)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventMsg {
    /// The turn failed (`"error"`).
    Error(ErrorEvent),
    /// Something the user should know that does not stop the turn (`"warning"`).
    Warning(WarningEvent),
    /// The agent started working on a turn (`"task_started"`).
    TaskStarted(TaskStartedEvent),
    /// The agent finished a turn (`"task_complete"`).
    TaskComplete(TaskCompleteEvent),
    /// Updated token usage and rate limits (`"token_count"`).
    TokenCount(TokenCountEvent),
    /// A complete message from the agent (`"agent_message"`).
    AgentMessage(AgentMessageEvent),
    /// The user's message, echoed into the transcript (`"user_message"`).
    UserMessage(UserMessageEvent),
    /// More text of the agent message being streamed (`"agent_message_delta"`).
    AgentMessageDelta(AgentMessageDeltaEvent),
    /// A complete reasoning summary (`"agent_reasoning"`).
    AgentReasoning(AgentReasoningEvent),
    /// More text of the reasoning summary being streamed (`"agent_reasoning_delta"`).
    AgentReasoningDelta(AgentReasoningDeltaEvent),
    /// Complete raw reasoning text (`"agent_reasoning_raw_content"`).
    AgentReasoningRawContent(AgentReasoningRawContentEvent),
    /// More raw reasoning text being streamed (`"agent_reasoning_raw_content_delta"`).
    AgentReasoningRawContentDelta(AgentReasoningRawContentDeltaEvent),
    /// A new section of the reasoning summary starts (`"agent_reasoning_section_break"`).
    AgentReasoningSectionBreak(AgentReasoningSectionBreakEvent),
    /// The session is ready; first event of every session (`"session_configured"`).
    SessionConfigured(SessionConfiguredEvent),
    /// One MCP server's start-up progressed (`"mcp_startup_update"`).
    McpStartupUpdate(McpStartupUpdateEvent),
    /// Every MCP server finished starting, successfully or not (`"mcp_startup_complete"`).
    McpStartupComplete(McpStartupCompleteEvent),
    /// An MCP tool call started (`"mcp_tool_call_begin"`).
    McpToolCallBegin(McpToolCallBeginEvent),
    /// An MCP tool call finished (`"mcp_tool_call_end"`).
    McpToolCallEnd(McpToolCallEndEvent),
    /// A web search started (`"web_search_begin"`).
    WebSearchBegin(WebSearchBeginEvent),
    /// A web search finished (`"web_search_end"`).
    WebSearchEnd(WebSearchEndEvent),
    /// A command started (`"exec_command_begin"`).
    ExecCommandBegin(ExecCommandBeginEvent),
    /// A running command produced output (`"exec_command_output_delta"`).
    ExecCommandOutputDelta(ExecCommandOutputDeltaEvent),
    /// A command exited (`"exec_command_end"`).
    ExecCommandEnd(ExecCommandEndEvent),
    /// The agent looked at a local image (`"view_image_tool_call"`).
    ViewImageToolCall(ViewImageToolCallEvent),
    /// The agent asks to run a command (`"exec_approval_request"`).
    ExecApprovalRequest(ExecApprovalRequestEvent),
    /// The agent asks to change files (`"apply_patch_approval_request"`).
    ApplyPatchApprovalRequest(ApplyPatchApprovalRequestEvent),
    /// Something the client or the user relies on is deprecated (`"deprecation_notice"`).
    DeprecationNotice(DeprecationNoticeEvent),
    /// A status message about background work (`"background_event"`).
    BackgroundEvent(BackgroundEventEvent),
    /// Undoing the last turn's changes started (`"undo_started"`).
    UndoStarted(UndoStartedEvent),
    /// Undoing the last turn's changes finished (`"undo_completed"`).
    UndoCompleted(UndoCompletedEvent),
    /// The connection to the model broke; the agent retries (`"stream_error"`).
    StreamError(StreamErrorEvent),
    /// A patch started being applied (`"patch_apply_begin"`).
    PatchApplyBegin(PatchApplyBeginEvent),
    /// A patch finished being applied (`"patch_apply_end"`).
    PatchApplyEnd(PatchApplyEndEvent),
    /// The diff of every file change of the turn so far (`"turn_diff"`).
    TurnDiff(TurnDiffEvent),
    /// Answer to a message-history look-up (`"get_history_entry_response"`).
    GetHistoryEntryResponse(GetHistoryEntryResponseEvent),
    /// Answer to a request for the MCP tools (`"mcp_list_tools_response"`).
    McpListToolsResponse(McpListToolsResponseEvent),
    /// Answer to a request for the custom prompts (`"list_custom_prompts_response"`).
    ListCustomPromptsResponse(ListCustomPromptsResponseEvent),
    /// The agent updated its plan (`"plan_update"`).
    PlanUpdate(UpdatePlanArgs),
    /// The turn stopped before finishing (`"turn_aborted"`).
    TurnAborted(TurnAbortedEvent),
    /// The session shut down; the last event of a session (`"shutdown_complete"`, no other
    /// members).
    ShutdownComplete,
    /// A code review started (`"entered_review_mode"`).
    EnteredReviewMode(ReviewRequest),
    /// A code review ended (`"exited_review_mode"`).
    ExitedReviewMode(ExitedReviewModeEvent),
    /// A raw model response item, for listeners that asked for raw events
    /// (`"raw_response_item"`).
    RawResponseItem(RawResponseItemEvent),
    /// A turn item started (`"item_started"`).
    ItemStarted(ItemStartedEvent),
    /// A turn item finished (`"item_completed"`).
    ItemCompleted(ItemCompletedEvent),
    /// More text of an agent message item (`"agent_message_content_delta"`).
    AgentMessageContentDelta(AgentMessageContentDeltaEvent),
    /// More text of a reasoning item's summary (`"reasoning_content_delta"`).
    ReasoningContentDelta(ReasoningContentDeltaEvent),
    /// More raw text of a reasoning item (`"reasoning_raw_content_delta"`).
    ReasoningRawContentDelta(ReasoningRawContentDeltaEvent),
}

impl EventMsg {
    /// The wire tag of this event, e.g. `"agent_message"`.
    pub fn event_type(&self) -> &'static str {
        match self {
            EventMsg::Error(_) => "error",
            EventMsg::Warning(_) => "warning",
            EventMsg::TaskStarted(_) => "task_started",
            EventMsg::TaskComplete(_) => "task_complete",
            EventMsg::TokenCount(_) => "token_count",
            EventMsg::AgentMessage(_) => "agent_message",
            EventMsg::UserMessage(_) => "user_message",
            EventMsg::AgentMessageDelta(_) => "agent_message_delta",
            EventMsg::AgentReasoning(_) => "agent_reasoning",
            EventMsg::AgentReasoningDelta(_) => "agent_reasoning_delta",
            EventMsg::AgentReasoningRawContent(_) => "agent_reasoning_raw_content",
            EventMsg::AgentReasoningRawContentDelta(_) => "agent_reasoning_raw_content_delta",
            EventMsg::AgentReasoningSectionBreak(_) => "agent_reasoning_section_break",
            EventMsg::SessionConfigured(_) => "session_configured",
            EventMsg::McpStartupUpdate(_) => "mcp_startup_update",
            EventMsg::McpStartupComplete(_) => "mcp_startup_complete",
            EventMsg::McpToolCallBegin(_) => "mcp_tool_call_begin",
            EventMsg::McpToolCallEnd(_) => "mcp_tool_call_end",
            EventMsg::WebSearchBegin(_) => "web_search_begin",
            EventMsg::WebSearchEnd(_) => "web_search_end",
            EventMsg::ExecCommandBegin(_) => "exec_command_begin",
            EventMsg::ExecCommandOutputDelta(_) => "exec_command_output_delta",
            EventMsg::ExecCommandEnd(_) => "exec_command_end",
            EventMsg::ViewImageToolCall(_) => "view_image_tool_call",
            EventMsg::ExecApprovalRequest(_) => "exec_approval_request",
            EventMsg::ApplyPatchApprovalRequest(_) => "apply_patch_approval_request",
            EventMsg::DeprecationNotice(_) => "deprecation_notice",
            EventMsg::BackgroundEvent(_) => "background_event",
            EventMsg::UndoStarted(_) => "undo_started",
            EventMsg::UndoCompleted(_) => "undo_completed",
            EventMsg::StreamError(_) => "stream_error",
            EventMsg::PatchApplyBegin(_) => "patch_apply_begin",
            EventMsg::PatchApplyEnd(_) => "patch_apply_end",
            EventMsg::TurnDiff(_) => "turn_diff",
            EventMsg::GetHistoryEntryResponse(_) => "get_history_entry_response",
            EventMsg::McpListToolsResponse(_) => "mcp_list_tools_response",
            EventMsg::ListCustomPromptsResponse(_) => "list_custom_prompts_response",
            EventMsg::PlanUpdate(_) => "plan_update",
            EventMsg::TurnAborted(_) => "turn_aborted",
            EventMsg::ShutdownComplete => "shutdown_complete",
            EventMsg::EnteredReviewMode(_) => "entered_review_mode",
            EventMsg::ExitedReviewMode(_) => "exited_review_mode",
            EventMsg::RawResponseItem(_) => "raw_response_item",
            EventMsg::ItemStarted(_) => "item_started",
            EventMsg::ItemCompleted(_) => "item_completed",
            EventMsg::AgentMessageContentDelta(_) => "agent_message_content_delta",
            EventMsg::ReasoningContentDelta(_) => "reasoning_content_delta",
            EventMsg::ReasoningRawContentDelta(_) => "reasoning_raw_content_delta",
        }
    }
}
