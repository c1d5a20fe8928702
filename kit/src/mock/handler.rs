//! The handler of every client → server method, v1 included: [`Gate`] applies the
//! handshake rule and the request faults, then [`Methods`] answers. The answers' logic lives
//! in the modules by domain ([`super::agent`], [`super::account`], [`super::catalog`],
//! [`super::config`], [`super::legacy`]).

use std::sync::Arc;
use std::time::Duration;

use app_server_peer::ServerContext;
use app_server_protocol::handshake::{InitializeParams, InitializeResponse};
use app_server_protocol::method::{
    AccountLoginCompleted, AccountUpdated, McpServerOauthLoginCompleted,
};
use app_server_protocol::{
    ClientRequestHandler, ClientRequestResult, ErrorResponse, IncomingClientRequest, JsonRpcError,
    NoParams, v1, v2,
};

use super::Mock;
use super::account::rate_limits;
use super::catalog::{mcp_server_list, mcp_servers, model_list};
use super::conn::Conn;
use super::fault::Fault;
use super::{agent, legacy};

/// What every request goes through first: the `delay=` and `error=` faults, then
/// [`Methods`] answers. (Requests before `initialize` never get here: the connection's reader
/// answers them, in the order they arrive.)
pub(crate) struct Gate {
    methods: Methods,
}

impl Gate {
    /// The handler of one connection.
    pub(crate) fn new(mock: Mock, conn: Arc<Conn>) -> Self {
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
        self.methods.dispatch(request, ctx).await
    }
}

/// The answers of the mock, one method per client request.
pub(crate) struct Methods {
    mock: Mock,
    conn: Arc<Conn>,
}

impl Methods {
    /// Runs `task` on the connection of `ctx` once the current answer went out.
    fn after_answer<F>(
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
    fn scaled(&self, delay: Duration) -> Duration {
        let speed = self.mock.speed();
        if speed > 0.0 { delay.div_f64(speed) } else { Duration::ZERO }
    }
}

impl ClientRequestHandler<ServerContext> for Methods {
    async fn initialize(
        &self,
        params: InitializeParams,
        ctx: &ServerContext,
    ) -> Result<InitializeResponse, JsonRpcError> {
        if !self.conn.initialize_once() {
            return Err(JsonRpcError::invalid_request(
                "already initialized: `initialize` is sent once per connection",
            ));
        }
        // Registered with this request's context: a broadcast waits for its `answered()`, so
        // that nothing reaches the connection before the `initialize` answer.
        self.mock.register(self.conn.number, ctx.clone());
        let client = &params.client_info;
        let agent = format!(
            "app-server-kit-mock/{} ({}; {})",
            app_server_protocol::VERSION,
            client.name,
            client.version
        );
        Ok(InitializeResponse::new(agent))
    }

    async fn thread_start(
        &self,
        params: v2::ThreadStartParams,
        ctx: &ServerContext,
    ) -> Result<v2::ThreadStartResponse, JsonRpcError> {
        Ok(agent::thread_start(&self.mock, ctx, params))
    }

    async fn thread_resume(
        &self,
        params: v2::ThreadResumeParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadResumeResponse, JsonRpcError> {
        agent::thread_resume(&self.mock, params)
    }

    async fn thread_archive(
        &self,
        params: v2::ThreadArchiveParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        self.mock.threads().archive(&params.thread_id)?;
        Ok(v2::ThreadArchiveResponse::new())
    }

    async fn thread_list(
        &self,
        params: v2::ThreadListParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadListResponse, JsonRpcError> {
        agent::thread_list(&self.mock, &params)
    }

    async fn thread_compact(
        &self,
        params: v2::ThreadCompactParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadCompactResponse, JsonRpcError> {
        self.mock.threads().get(&params.thread_id)?;
        Ok(v2::ThreadCompactResponse::new())
    }

    async fn turn_start(
        &self,
        params: v2::TurnStartParams,
        ctx: &ServerContext,
    ) -> Result<v2::TurnStartResponse, JsonRpcError> {
        let steps = self.mock.steps();
        agent::turn_start(
            &self.mock,
            &self.conn,
            ctx,
            params.thread_id,
            params.input,
            params.cwd,
            steps,
        )
    }

    async fn turn_interrupt(
        &self,
        params: v2::TurnInterruptParams,
        _ctx: &ServerContext,
    ) -> Result<v2::TurnInterruptResponse, JsonRpcError> {
        self.mock.threads().interrupt(&params.thread_id, &params.turn_id)?;
        Ok(v2::TurnInterruptResponse::new())
    }

    async fn review_start(
        &self,
        params: v2::ReviewStartParams,
        ctx: &ServerContext,
    ) -> Result<v2::TurnStartResponse, JsonRpcError> {
        agent::review_start(&self.mock, &self.conn, ctx, params)
    }

    async fn model_list(
        &self,
        params: v2::ModelListParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ModelListResponse, JsonRpcError> {
        model_list(&params)
    }

    async fn account_login_start(
        &self,
        params: v2::LoginAccountParams,
        ctx: &ServerContext,
    ) -> Result<v2::LoginAccountResponse, JsonRpcError> {
        match params {
            v2::LoginAccountParams::ApiKey { .. } => {
                self.mock.accounts().auth = Some(app_server_protocol::core_types::AuthMode::ApiKey);
                self.after_answer(ctx, |ctx| async move {
                    let completed = v2::AccountLoginCompletedNotification::new(true);
                    let _closed = ctx.notify::<AccountLoginCompleted>(completed).await;
                    let updated = v2::AccountUpdatedNotification::new()
                        .with_auth_mode(app_server_protocol::core_types::AuthMode::ApiKey);
                    let _closed = ctx.notify::<AccountUpdated>(updated).await;
                });
                Ok(v2::LoginAccountResponse::ApiKey)
            }
            v2::LoginAccountParams::Chatgpt => {
                let login_id = self.mock.ids().uuid();
                self.mock.accounts().start_login(&login_id);
                let auth_url = format!(
                    "https://auth.openai.com/oauth/authorize?client_id=app-server-kit-mock&state={login_id}"
                );
                Ok(v2::LoginAccountResponse::Chatgpt { login_id, auth_url })
            }
        }
    }

    async fn account_login_cancel(
        &self,
        params: v2::CancelLoginAccountParams,
        _ctx: &ServerContext,
    ) -> Result<v2::CancelLoginAccountResponse, JsonRpcError> {
        let status = self.mock.accounts().cancel(&params.login_id);
        if status == v2::CancelLoginAccountStatus::NotFound
            && self.mock.faults().has(&Fault::CancelErrors)
        {
            return Err(JsonRpcError::invalid_request(format!(
                "login {} is not pending (mock fault cancel-errors)",
                params.login_id
            )));
        }
        Ok(v2::CancelLoginAccountResponse::new(status))
    }

    async fn account_logout(
        &self,
        _params: NoParams,
        ctx: &ServerContext,
    ) -> Result<v2::LogoutAccountResponse, JsonRpcError> {
        self.mock.accounts().auth = None;
        self.after_answer(ctx, |ctx| async move {
            let _closed = ctx.notify::<AccountUpdated>(v2::AccountUpdatedNotification::new()).await;
        });
        Ok(v2::LogoutAccountResponse::new())
    }

    async fn account_rate_limits_read(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v2::GetAccountRateLimitsResponse, JsonRpcError> {
        Ok(v2::GetAccountRateLimitsResponse::new(rate_limits()))
    }

    async fn feedback_upload(
        &self,
        params: v2::FeedbackUploadParams,
        _ctx: &ServerContext,
    ) -> Result<v2::FeedbackUploadResponse, JsonRpcError> {
        let thread_id =
            params.conversation_id.map_or_else(|| self.mock.ids().uuid(), |id| id.to_string());
        Ok(v2::FeedbackUploadResponse::new(thread_id))
    }

    async fn account_read(
        &self,
        _params: v2::GetAccountParams,
        _ctx: &ServerContext,
    ) -> Result<v2::GetAccountResponse, JsonRpcError> {
        let mut response = v2::GetAccountResponse::new(true);
        response.account = self.mock.accounts().account();
        Ok(response)
    }

    async fn config_read(
        &self,
        params: v2::ConfigReadParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ConfigReadResponse, JsonRpcError> {
        self.mock.config().read(params.include_layers.unwrap_or(false))
    }

    async fn config_value_write(
        &self,
        params: v2::ConfigValueWriteParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ConfigWriteResponse, JsonRpcError> {
        let edit = v2::ConfigEdit {
            key_path: params.key_path,
            value: params.value,
            merge_strategy: params.merge_strategy,
        };
        self.mock.config().write(
            &[edit],
            params.file_path.as_deref(),
            params.expected_version.as_deref(),
        )
    }

    async fn config_batch_write(
        &self,
        params: v2::ConfigBatchWriteParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ConfigWriteResponse, JsonRpcError> {
        self.mock.config().write(
            &params.edits,
            params.file_path.as_deref(),
            params.expected_version.as_deref(),
        )
    }

    async fn mcp_server_oauth_login(
        &self,
        params: v2::McpServerOauthLoginParams,
        ctx: &ServerContext,
    ) -> Result<v2::McpServerOauthLoginResponse, JsonRpcError> {
        if !mcp_servers().iter().any(|server| server.name == params.name) {
            return Err(JsonRpcError::invalid_request(format!(
                "no MCP server named {:?} is configured",
                params.name
            )));
        }
        let delay = self.scaled(Duration::from_millis(300));
        let name = params.name.clone();
        self.after_answer(ctx, move |ctx| async move {
            tokio::time::sleep(delay).await;
            let completed = v2::McpServerOauthLoginCompletedNotification::new(name, true);
            let _closed = ctx.notify::<McpServerOauthLoginCompleted>(completed).await;
        });
        Ok(v2::McpServerOauthLoginResponse::new(format!(
            "https://mcp.example.com/{}/oauth/authorize?state={}",
            params.name,
            self.mock.ids().next("oauth")
        )))
    }

    async fn mcp_server_status_list(
        &self,
        params: v2::ListMcpServerStatusParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ListMcpServerStatusResponse, JsonRpcError> {
        mcp_server_list(params.cursor.as_deref(), params.limit)
    }

    async fn new_conversation(
        &self,
        params: v1::NewConversationParams,
        ctx: &ServerContext,
    ) -> Result<v1::NewConversationResponse, JsonRpcError> {
        legacy::new_conversation(&self.mock, ctx, params)
    }

    async fn get_conversation_summary(
        &self,
        params: v1::GetConversationSummaryParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetConversationSummaryResponse, JsonRpcError> {
        legacy::conversation_summary(&self.mock, params)
    }

    async fn list_conversations(
        &self,
        params: v1::ListConversationsParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ListConversationsResponse, JsonRpcError> {
        legacy::list_conversations(&self.mock, params)
    }

    async fn resume_conversation(
        &self,
        params: v1::ResumeConversationParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ResumeConversationResponse, JsonRpcError> {
        legacy::resume_conversation(&self.mock, params)
    }

    async fn archive_conversation(
        &self,
        params: v1::ArchiveConversationParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ArchiveConversationResponse, JsonRpcError> {
        self.mock.threads().archive(params.conversation_id.as_str())?;
        Ok(v1::ArchiveConversationResponse::new())
    }

    async fn send_user_message(
        &self,
        params: v1::SendUserMessageParams,
        _ctx: &ServerContext,
    ) -> Result<v1::SendUserMessageResponse, JsonRpcError> {
        self.mock.threads().get(params.conversation_id.as_str())?;
        Ok(v1::SendUserMessageResponse::new())
    }

    async fn send_user_turn(
        &self,
        params: v1::SendUserTurnParams,
        _ctx: &ServerContext,
    ) -> Result<v1::SendUserTurnResponse, JsonRpcError> {
        self.mock.threads().get(params.conversation_id.as_str())?;
        Ok(v1::SendUserTurnResponse::new())
    }

    async fn interrupt_conversation(
        &self,
        params: v1::InterruptConversationParams,
        _ctx: &ServerContext,
    ) -> Result<v1::InterruptConversationResponse, JsonRpcError> {
        self.mock.threads().get(params.conversation_id.as_str())?;
        Ok(v1::InterruptConversationResponse::new(v1::TurnAbortReason::Interrupted))
    }

    async fn add_conversation_listener(
        &self,
        params: v1::AddConversationListenerParams,
        _ctx: &ServerContext,
    ) -> Result<v1::AddConversationSubscriptionResponse, JsonRpcError> {
        self.mock.threads().get(params.conversation_id.as_str())?;
        Ok(v1::AddConversationSubscriptionResponse::new(self.mock.ids().uuid()))
    }

    async fn remove_conversation_listener(
        &self,
        _params: v1::RemoveConversationListenerParams,
        _ctx: &ServerContext,
    ) -> Result<v1::RemoveConversationSubscriptionResponse, JsonRpcError> {
        Ok(v1::RemoveConversationSubscriptionResponse::new())
    }

    async fn git_diff_to_remote(
        &self,
        _params: v1::GitDiffToRemoteParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GitDiffToRemoteResponse, JsonRpcError> {
        Ok(legacy::git_diff())
    }

    async fn login_api_key(
        &self,
        _params: v1::LoginApiKeyParams,
        ctx: &ServerContext,
    ) -> Result<v1::LoginApiKeyResponse, JsonRpcError> {
        self.mock.accounts().auth = Some(app_server_protocol::core_types::AuthMode::ApiKey);
        self.after_answer(
            ctx,
            legacy::announce_auth(Some(app_server_protocol::core_types::AuthMode::ApiKey)),
        );
        Ok(v1::LoginApiKeyResponse::new())
    }

    async fn login_chat_gpt(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::LoginChatGptResponse, JsonRpcError> {
        let login_id = self.mock.ids().uuid();
        self.mock.accounts().start_login(&login_id);
        let auth_url = format!(
            "https://auth.openai.com/oauth/authorize?client_id=app-server-kit-mock&state={login_id}"
        );
        Ok(v1::LoginChatGptResponse::new(login_id, auth_url))
    }

    async fn cancel_login_chat_gpt(
        &self,
        params: v1::CancelLoginChatGptParams,
        _ctx: &ServerContext,
    ) -> Result<v1::CancelLoginChatGptResponse, JsonRpcError> {
        match self.mock.accounts().cancel(&params.login_id) {
            v2::CancelLoginAccountStatus::Canceled => Ok(v1::CancelLoginChatGptResponse::new()),
            v2::CancelLoginAccountStatus::NotFound => Err(JsonRpcError::invalid_request(format!(
                "login id not found: {}",
                params.login_id
            ))),
        }
    }

    async fn logout_chat_gpt(
        &self,
        _params: NoParams,
        ctx: &ServerContext,
    ) -> Result<v1::LogoutChatGptResponse, JsonRpcError> {
        self.mock.accounts().auth = None;
        self.after_answer(ctx, legacy::announce_auth(None));
        Ok(v1::LogoutChatGptResponse::new())
    }

    async fn get_auth_status(
        &self,
        params: v1::GetAuthStatusParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetAuthStatusResponse, JsonRpcError> {
        Ok(legacy::auth_status(&self.mock, &params))
    }

    async fn get_user_saved_config(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetUserSavedConfigResponse, JsonRpcError> {
        legacy::saved_config(&self.mock)
    }

    async fn set_default_model(
        &self,
        params: v1::SetDefaultModelParams,
        _ctx: &ServerContext,
    ) -> Result<v1::SetDefaultModelResponse, JsonRpcError> {
        legacy::set_default_model(&self.mock, params)
    }

    async fn get_user_agent(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetUserAgentResponse, JsonRpcError> {
        Ok(v1::GetUserAgentResponse::new(format!(
            "app-server-kit-mock/{}",
            app_server_protocol::VERSION
        )))
    }

    async fn user_info(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::UserInfoResponse, JsonRpcError> {
        let mut response = v1::UserInfoResponse::new();
        if self.mock.accounts().auth == Some(app_server_protocol::core_types::AuthMode::ChatGpt) {
            response.alleged_user_email = Some(super::account::EMAIL.to_owned());
        }
        Ok(response)
    }

    async fn fuzzy_file_search(
        &self,
        params: v1::FuzzyFileSearchParams,
        _ctx: &ServerContext,
    ) -> Result<v1::FuzzyFileSearchResponse, JsonRpcError> {
        Ok(legacy::fuzzy_file_search(&params))
    }

    async fn exec_one_off_command(
        &self,
        params: v1::ExecOneOffCommandParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ExecOneOffCommandResponse, JsonRpcError> {
        legacy::exec_one_off(&params)
    }
}
