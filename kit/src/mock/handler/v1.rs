//! The answers to the v1 requests (frozen at the 0.63.0 wire).

use app_server_peer::ServerContext;
use app_server_protocol::{JsonRpcError, NoParams, v1, v2};

use super::Methods;
use crate::mock::legacy;

#[allow(deprecated)]
impl Methods {
    pub(super) async fn new_conversation(
        &self,
        params: v1::NewConversationParams,
        ctx: &ServerContext,
    ) -> Result<v1::NewConversationResponse, JsonRpcError> {
        legacy::new_conversation(&self.mock, ctx, params)
    }

    pub(super) async fn get_conversation_summary(
        &self,
        params: v1::GetConversationSummaryParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetConversationSummaryResponse, JsonRpcError> {
        legacy::conversation_summary(&self.mock, params)
    }

    pub(super) async fn list_conversations(
        &self,
        params: v1::ListConversationsParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ListConversationsResponse, JsonRpcError> {
        legacy::list_conversations(&self.mock, params)
    }

    pub(super) async fn resume_conversation(
        &self,
        params: v1::ResumeConversationParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ResumeConversationResponse, JsonRpcError> {
        legacy::resume_conversation(&self.mock, params)
    }

    pub(super) async fn archive_conversation(
        &self,
        params: v1::ArchiveConversationParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ArchiveConversationResponse, JsonRpcError> {
        self.mock.threads().archive(params.conversation_id.as_str())?;
        Ok(v1::ArchiveConversationResponse::new())
    }

    pub(super) async fn send_user_message(
        &self,
        params: v1::SendUserMessageParams,
        ctx: &ServerContext,
    ) -> Result<v1::SendUserMessageResponse, JsonRpcError> {
        let turn = legacy::UserTurn {
            conversation_id: params.conversation_id,
            items: params.items,
            cwd: None,
        };
        legacy::user_turn(&self.mock, &self.conn, ctx, turn)?;
        Ok(v1::SendUserMessageResponse::new())
    }

    pub(super) async fn send_user_turn(
        &self,
        params: v1::SendUserTurnParams,
        ctx: &ServerContext,
    ) -> Result<v1::SendUserTurnResponse, JsonRpcError> {
        let turn = legacy::UserTurn {
            conversation_id: params.conversation_id,
            items: params.items,
            cwd: Some(params.cwd.display().to_string()),
        };
        legacy::user_turn(&self.mock, &self.conn, ctx, turn)?;
        Ok(v1::SendUserTurnResponse::new())
    }

    pub(super) async fn interrupt_conversation(
        &self,
        params: v1::InterruptConversationParams,
        _ctx: &ServerContext,
    ) -> Result<v1::InterruptConversationResponse, JsonRpcError> {
        let id = params.conversation_id.to_string();
        let mut threads = self.mock.threads();
        threads.get(&id)?;
        if let Some(turn) = threads.running_turn(&id) {
            threads.interrupt(&id, &turn)?;
        }
        Ok(v1::InterruptConversationResponse::new(v1::TurnAbortReason::Interrupted))
    }

    pub(super) async fn add_conversation_listener(
        &self,
        params: v1::AddConversationListenerParams,
        _ctx: &ServerContext,
    ) -> Result<v1::AddConversationSubscriptionResponse, JsonRpcError> {
        self.mock.threads().get(params.conversation_id.as_str())?;
        Ok(v1::AddConversationSubscriptionResponse::new(self.mock.ids().uuid_v4()))
    }

    pub(super) async fn remove_conversation_listener(
        &self,
        _params: v1::RemoveConversationListenerParams,
        _ctx: &ServerContext,
    ) -> Result<v1::RemoveConversationSubscriptionResponse, JsonRpcError> {
        Ok(v1::RemoveConversationSubscriptionResponse::new())
    }

    pub(super) async fn git_diff_to_remote(
        &self,
        _params: v1::GitDiffToRemoteParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GitDiffToRemoteResponse, JsonRpcError> {
        Ok(legacy::git_diff())
    }

    pub(super) async fn login_api_key(
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

    pub(super) async fn login_chat_gpt(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::LoginChatGptResponse, JsonRpcError> {
        let login_id = self.mock.ids().uuid_v4();
        self.mock.accounts().start_login(&login_id);
        let auth_url = format!(
            "https://auth.openai.com/oauth/authorize?client_id=app-server-kit-mock&state={login_id}"
        );
        Ok(v1::LoginChatGptResponse::new(login_id, auth_url))
    }

    pub(super) async fn cancel_login_chat_gpt(
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

    pub(super) async fn logout_chat_gpt(
        &self,
        _params: NoParams,
        ctx: &ServerContext,
    ) -> Result<v1::LogoutChatGptResponse, JsonRpcError> {
        self.mock.accounts().auth = None;
        self.after_answer(ctx, legacy::announce_auth(None));
        Ok(v1::LogoutChatGptResponse::new())
    }

    pub(super) async fn get_auth_status(
        &self,
        params: v1::GetAuthStatusParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetAuthStatusResponse, JsonRpcError> {
        Ok(legacy::auth_status(&self.mock, &params))
    }

    pub(super) async fn get_user_saved_config(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetUserSavedConfigResponse, JsonRpcError> {
        legacy::saved_config(&self.mock)
    }

    pub(super) async fn set_default_model(
        &self,
        params: v1::SetDefaultModelParams,
        _ctx: &ServerContext,
    ) -> Result<v1::SetDefaultModelResponse, JsonRpcError> {
        legacy::set_default_model(&self.mock, params)
    }

    pub(super) async fn get_user_agent(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::GetUserAgentResponse, JsonRpcError> {
        Ok(v1::GetUserAgentResponse::new(format!(
            "app-server-kit-mock/{}",
            app_server_protocol::VERSION
        )))
    }

    pub(super) async fn user_info(
        &self,
        _params: NoParams,
        _ctx: &ServerContext,
    ) -> Result<v1::UserInfoResponse, JsonRpcError> {
        let mut response = v1::UserInfoResponse::new();
        if self.mock.accounts().auth == Some(app_server_protocol::core_types::AuthMode::ChatGpt) {
            response.alleged_user_email = Some(crate::mock::account::EMAIL.to_owned());
        }
        Ok(response)
    }

    pub(super) async fn fuzzy_file_search(
        &self,
        params: v1::FuzzyFileSearchParams,
        _ctx: &ServerContext,
    ) -> Result<v1::FuzzyFileSearchResponse, JsonRpcError> {
        Ok(legacy::fuzzy_file_search(&params))
    }

    pub(super) async fn exec_one_off_command(
        &self,
        params: v1::ExecOneOffCommandParams,
        _ctx: &ServerContext,
    ) -> Result<v1::ExecOneOffCommandResponse, JsonRpcError> {
        legacy::exec_one_off(&params)
    }
}
