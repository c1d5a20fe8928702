//! The handler of every client → server method, v1 included: [`Gate`] applies the
//! handshake rule and the request faults, then [`Methods`] answers (`v2.rs`, `v1.rs`).
//! [`Methods::route`] matches every request of the method table by name, with no catch-all:
//! a method added to the table and not answered here is a compile error that names it
//! (`pattern IncomingClientRequest::… not covered`). The answers' logic lives
//! in the modules by domain ([`super::agent`], [`super::account`], [`super::catalogue`],
//! [`super::config`], [`super::legacy`]).

use std::sync::Arc;
use std::time::Duration;

use app_server_peer::ServerContext;
use app_server_protocol::typed::{Request, Responder};
use app_server_protocol::{
    ClientRequestHandler, ClientRequestResult, ErrorResponse, IncomingClientRequest, JsonRpcError,
};

use super::connection::state::ConnectionState;
use super::shared::Mock;

mod v1;
mod v2;

/// What every request goes through first: the `delay=` and `error=` faults, then
/// [`Methods`] answers. (Requests before `initialize` never get here: the connection's reader
/// answers them, in the order they arrive.)
pub(crate) struct Gate {
    methods: Methods,
}

impl Gate {
    /// The handler of one connection.
    pub(crate) fn new(mock: Mock, conn: Arc<ConnectionState>) -> Self {
        Gate { methods: Methods { mock, conn } }
    }
}

impl ClientRequestHandler<ServerContext> for Gate {
    async fn dispatch(
        &self,
        request: IncomingClientRequest,
        ctx: &ServerContext,
    ) -> Result<ClientRequestResult, ErrorResponse> {
        let method = request.method().wire_name();
        let refuse = |error| Err(ErrorResponse { id: request.request_id().clone(), error });
        let faults = self.methods.mock.faults();
        if let Some(delay) = faults.delay_of(method) {
            tokio::time::sleep(delay).await;
        }
        if let Some(code) = faults.error_of(method) {
            return refuse(JsonRpcError::new(
                code,
                format!("mock fault: `{method}` answers error {}", code.0),
            ));
        }
        self.methods.route(request, ctx).await
    }
}

/// The answers of the mock, one method per client request.
pub(crate) struct Methods {
    pub(super) mock: Mock,
    pub(super) conn: Arc<ConnectionState>,
}

impl Methods {
    /// Runs `task` on the connection of `ctx` once the current answer went out.
    pub(super) fn after_answer<F>(
        &self,
        ctx: &ServerContext,
        task: impl FnOnce(ServerContext) -> F + Send + 'static,
    ) where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let ctx = ctx.clone();
        tokio::spawn(async move {
            ctx.answered().await;
            task(ctx).await;
        });
    }

    /// `delay` scaled by the mock's speed.
    pub(super) fn scaled(&self, delay: Duration) -> Duration {
        let speed = self.mock.speed();
        if speed > 0.0 { delay.div_f64(speed) } else { Duration::ZERO }
    }
}

/// A method's answer as the typed answer of the table, or its error response.
fn answer<M>(
    responder: Responder<M>,
    result: Result<M::Result, JsonRpcError>,
) -> Result<ClientRequestResult, ErrorResponse>
where
    M: Request<Answer = ClientRequestResult>,
{
    match result {
        Ok(result) => Ok(responder.respond(result)),
        Err(error) => Err(responder.error(error)),
    }
}

/// Matches `request` against every listed variant, calling the method of the same row.
/// Deliberately no `_` arm: see the module docs.
macro_rules! route {
    ($self:ident, $request:ident, $ctx:ident; $($Variant:ident => $method:ident),* $(,)?) => {
        match $request {
            $(IncomingClientRequest::$Variant { params, responder } => {
                answer(responder, $self.$method(params, $ctx).await)
            })*
        }
    };
}

impl Methods {
    /// Routes a request to its method and types the answer.
    #[allow(deprecated)] // the v1 methods: the mock answers them too
    async fn route(
        &self,
        request: IncomingClientRequest,
        ctx: &ServerContext,
    ) -> Result<ClientRequestResult, ErrorResponse> {
        route!(self, request, ctx;
            Initialize => initialize,
            ThreadStart => thread_start,
            ThreadResume => thread_resume,
            ThreadArchive => thread_archive,
            ThreadList => thread_list,
            ThreadCompact => thread_compact,
            TurnStart => turn_start,
            TurnInterrupt => turn_interrupt,
            ReviewStart => review_start,
            ModelList => model_list,
            AccountLoginStart => account_login_start,
            AccountLoginCancel => account_login_cancel,
            AccountLogout => account_logout,
            AccountRateLimitsRead => account_rate_limits_read,
            FeedbackUpload => feedback_upload,
            AccountRead => account_read,
            ConfigRead => config_read,
            ConfigValueWrite => config_value_write,
            ConfigBatchWrite => config_batch_write,
            McpServerOauthLogin => mcp_server_oauth_login,
            McpServerStatusList => mcp_server_status_list,
            NewConversation => new_conversation,
            GetConversationSummary => get_conversation_summary,
            ListConversations => list_conversations,
            ResumeConversation => resume_conversation,
            ArchiveConversation => archive_conversation,
            SendUserMessage => send_user_message,
            SendUserTurn => send_user_turn,
            InterruptConversation => interrupt_conversation,
            AddConversationListener => add_conversation_listener,
            RemoveConversationListener => remove_conversation_listener,
            GitDiffToRemote => git_diff_to_remote,
            LoginApiKey => login_api_key,
            LoginChatGpt => login_chat_gpt,
            CancelLoginChatGpt => cancel_login_chat_gpt,
            LogoutChatGpt => logout_chat_gpt,
            GetAuthStatus => get_auth_status,
            GetUserSavedConfig => get_user_saved_config,
            SetDefaultModel => set_default_model,
            GetUserAgent => get_user_agent,
            UserInfo => user_info,
            FuzzyFileSearch => fuzzy_file_search,
            ExecOneOffCommand => exec_one_off_command,

        )
    }
}
