//! The answers to the v2 requests (and `initialize`).

use std::time::Duration;

use app_server_peer::ServerContext;
use app_server_protocol::handshake::{InitializeParams, InitializeResponse};
use app_server_protocol::method::{
    AccountLoginCompleted, AccountUpdated, McpServerOauthLoginCompleted,
};
use app_server_protocol::{JsonRpcError, NoParams, v2};

use super::Methods;
use crate::mock::account::rate_limits;
use crate::mock::agent;
use crate::mock::catalogue::{mcp_server_list, mcp_servers, model_list};
use crate::mock::fault::Fault;

impl Methods {
    pub(super) async fn initialize(
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

    pub(super) async fn thread_start(
        &self,
        params: v2::ThreadStartParams,
        ctx: &ServerContext,
    ) -> Result<v2::ThreadStartResponse, JsonRpcError> {
        Ok(agent::thread_start(&self.mock, ctx, params))
    }

    pub(super) async fn thread_resume(
        &self,
        params: v2::ThreadResumeParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadResumeResponse, JsonRpcError> {
        agent::thread_resume(&self.mock, params)
    }

    pub(super) async fn thread_archive(
        &self,
        params: v2::ThreadArchiveParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadArchiveResponse, JsonRpcError> {
        self.mock.threads().archive(&params.thread_id)?;
        Ok(v2::ThreadArchiveResponse::new())
    }

    pub(super) async fn thread_list(
        &self,
        params: v2::ThreadListParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadListResponse, JsonRpcError> {
        agent::thread_list(&self.mock, &params)
    }

    pub(super) async fn thread_compact(
        &self,
        params: v2::ThreadCompactParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadCompactResponse, JsonRpcError> {
        self.mock.threads().get(&params.thread_id)?;
        Ok(v2::ThreadCompactResponse::new())
    }

    pub(super) async fn turn_start(
        &self,
        params: v2::TurnStartParams,
        ctx: &ServerContext,
    ) -> Result<v2::TurnStartResponse, JsonRpcError> {
        agent::turn_start(&self.mock, &self.conn, ctx, params)
    }

    pub(super) async fn turn_interrupt(
        &self,
        params: v2::TurnInterruptParams,
        _ctx: &ServerContext,
    ) -> Result<v2::TurnInterruptResponse, JsonRpcError> {
        self.mock.threads().interrupt(&params.thread_id, &params.turn_id)?;
        Ok(v2::TurnInterruptResponse::new())
    }

    pub(super) async fn review_start(
        &self,
        params: v2::ReviewStartParams,
        ctx: &ServerContext,
    ) -> Result<v2::TurnStartResponse, JsonRpcError> {
        agent::review_start(&self.mock, &self.conn, ctx, params)
    }

    pub(super) async fn model_list(
        &self,
        params: v2::ModelListParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ModelListResponse, JsonRpcError> {
        model_list(&params)
    }

    pub(super) async fn account_login_start(
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
                let login_id = self.mock.ids().uuid_v4();
                self.mock.accounts().start_login(&login_id);
                let auth_url = format!(
                    "https://auth.openai.com/oauth/authorize?client_id=app-server-kit-mock&state={login_id}"
                );
                Ok(v2::LoginAccountResponse::Chatgpt { login_id, auth_url })
            }
        }
    }

    pub(super) async fn account_login_cancel(
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

    pub(super) async fn account_logout(
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

    pub(super) async fn account_rate_limits_read(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v2::GetAccountRateLimitsResponse, JsonRpcError> {
        Ok(v2::GetAccountRateLimitsResponse::new(rate_limits()))
    }

    pub(super) async fn feedback_upload(
        &self,
        params: v2::FeedbackUploadParams,
        _ctx: &ServerContext,
    ) -> Result<v2::FeedbackUploadResponse, JsonRpcError> {
        let thread_id =
            params.conversation_id.map_or_else(|| self.mock.ids().uuid_v4(), |id| id.to_string());
        Ok(v2::FeedbackUploadResponse::new(thread_id))
    }

    pub(super) async fn account_read(
        &self,
        _params: v2::GetAccountParams,
        _ctx: &ServerContext,
    ) -> Result<v2::GetAccountResponse, JsonRpcError> {
        let mut response = v2::GetAccountResponse::new(true);
        response.account = self.mock.accounts().account();
        Ok(response)
    }

    pub(super) async fn config_read(
        &self,
        params: v2::ConfigReadParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ConfigReadResponse, JsonRpcError> {
        self.mock.config().read(params.include_layers.unwrap_or(false))
    }

    pub(super) async fn config_value_write(
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

    pub(super) async fn config_batch_write(
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

    pub(super) async fn mcp_server_oauth_login(
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

    pub(super) async fn mcp_server_status_list(
        &self,
        params: v2::ListMcpServerStatusParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ListMcpServerStatusResponse, JsonRpcError> {
        mcp_server_list(params.cursor.as_deref(), params.limit)
    }
}
