//! Sending a notification whose method is known only at run time (a scenario's
//! `notification` step, a broadcast) through the typed context.

use app_server_peer::{CallError, ServerContext};
use app_server_protocol::ServerNotification;
use app_server_protocol::method;

/// Sends `notification` on the connection of `ctx`.
pub(crate) async fn send(
    ctx: &ServerContext,
    notification: ServerNotification,
) -> Result<(), CallError> {
    macro_rules! each {
        ($($Variant:ident),* $(,)?) => {
            match notification {
                $(ServerNotification::$Variant { params } => ctx.notify::<method::$Variant>(params).await,)*
            }
        };
    }
    #[allow(deprecated)]
    {
        each!(
            Error,
            ThreadStarted,
            TurnStarted,
            TurnCompleted,
            TurnDiffUpdated,
            ItemStarted,
            ItemCompleted,
            AgentMessageDelta,
            CommandExecutionOutputDelta,
            McpToolCallProgress,
            AccountUpdated,
            AccountRateLimitsUpdated,
            ReasoningSummaryTextDelta,
            ReasoningSummaryPartAdded,
            ReasoningTextDelta,
            WindowsWorldWritableWarning,
            AccountLoginCompleted,
            McpServerOauthLoginCompleted,
            AuthStatusChange,
            LoginChatGptComplete,
            SessionConfigured,
            LegacyEvent,
        )
    }
}
