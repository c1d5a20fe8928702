//! THE method table: one row per method, one table per direction.
//!
//! Adding a method means its types, one row here, one fixture, one CHANGELOG line, the mock's
//! handler and `cargo xtask codegen` — nothing else (ARCHITECTURE.md, "Where to start";
//! `cargo xtask walk` does it on a throwaway copy). The rows generate the typed enums
//! ([`ClientRequest`], [`ServerRequest`], [`ServerNotification`], [`ClientNotification`]), the
//! typed results of requests ([`ClientRequestResult`],
//! [`ServerRequestResult`]), the method enums with their wire-name lookups (deprecated aliases
//! included) and the `const` metadata slices that codegen walks ([`CLIENT_REQUESTS`],
//! [`SERVER_REQUESTS`], [`SERVER_NOTIFICATIONS`], [`CLIENT_NOTIFICATIONS`]).
//!
//! Row syntax:
//!
//! ```text
//! /// Doc comment for frontend engineers (becomes TypeScript / JSON Schema / API docs).
//! Variant => "wire/name" {
//!     params: path::ParamsType,        // leave out for methods without params
//!     result: path::ResultType,        // requests only
//!     api: V2,                         // Shared | V1 | V2
//!     stability: Experimental,         // optional, default Stable
//!     aliases: ["old/name"],           // optional: earlier names still accepted on input
//!     deprecated: "Use `x/y` instead.", // optional: the method itself is deprecated
//!     example: { "threadId": "thr_1" }, // valid params as JSON (required for a v2 request a
//!                                      // client sends with params; no negative numbers)
//!     errors: &[MethodError::invalid_params("`input` is empty")], // optional: refusals
//!                                      // particular to it (`page_errors!("limit")` for paging)
//!     family: "msg.type",              // notifications only: one row for every method
//!                                      // "wire/name<suffix>", the suffix named by this
//!                                      // member of the params (see `MethodMeta::family`)
//! }
//! ```
//!
//! A row says only what is particular to its method: the optional keys are left out when
//! they take their default, and come in the order shown. One parser reads the rows
//! (`table_rows!`, in the derive crate): an unknown or misplaced key, or a v2 request a client
//! sends with params and no `example:`, is a compile error that names the row.

use crate::jsonrpc::Direction;
use crate::row::{MethodError, MethodMeta};
use crate::{handshake, v1, v2};

request_table! {
    direction: ClientToServer,
    /// A request a client sends to the server, with its typed params.
    requests: ClientRequest,
    /// The methods a client may call on the server.
    methods: ClientRequestMethod,
    /// The server's successful answer to a [`ClientRequest`], typed by the answered method.
    results: ClientRequestResult,
    /// A [`ClientRequest`] as the server receives it: its params and a typed
    /// [`Responder`](crate::typed::Responder) that answers with this method's result only.
    incoming: IncomingClientRequest,
    /// The marker type of every client → server request ([`crate::typed::Request`]).
    markers: client_requests,
    /// What a server implements: one async method per client request, named after the method
    /// (`thread/start` → `thread_start`), each answering -32601 (method not found) unless
    /// implemented; [`dispatch`](ClientRequestHandler::dispatch) routes a received request
    /// to its method and types the answer. `Ctx` is whatever the server passes along (the
    /// async peer passes its connection context, through which the server sends
    /// notifications and requests of its own).
    handler: ClientRequestHandler,
    /// Metadata of every client → server request, in table order.
    table: CLIENT_REQUESTS,
    rows: {
        /// The first message of every connection, for v1 and v2 clients alike. The server
        /// answers with its user agent; the client then sends the `initialized` notification.
        Initialize => "initialize" {
            params: handshake::InitializeParams,
            result: handshake::InitializeResponse,
            api: Shared,
        }
        /// Starts a new thread (a conversation with the agent). Settings left out fall back to
        /// the user's config.
        ThreadStart => "thread/start" {
            params: v2::ThreadStartParams,
            result: v2::ThreadStartResponse,
            api: V2,
            example: {},
        }
        /// Resumes a stored thread by id (or from a rollout path, or from explicit history) so
        /// that new turns can be started on it.
        ThreadResume => "thread/resume" {
            params: v2::ThreadResumeParams,
            result: v2::ThreadResumeResponse,
            api: V2,
            example: { "threadId": "thr_1" },
        }
        /// Archives a thread: it no longer shows in `thread/list`.
        ThreadArchive => "thread/archive" {
            params: v2::ThreadArchiveParams,
            result: v2::ThreadArchiveResponse,
            api: V2,
            example: { "threadId": "thr_1" },
        }
        /// Lists stored threads, newest first, one page at a time.
        ///
        /// Pages are full: a page holds exactly `limit` threads (default 25) unless the listing
        /// is exhausted, and `nextCursor` is `null` exactly when nothing more exists — also when
        /// `modelProviders` filters threads out.
        ThreadList => "thread/list" {
            params: v2::ThreadListParams,
            result: v2::ThreadListResponse,
            api: V2,
            example: { "limit": 5 },
            errors: page_errors!("limit"),
        }
        /// Asks the agent to compact the thread's context (summarise earlier turns) to free room
        /// in the model's context window.
        ThreadCompact => "thread/compact" {
            params: v2::ThreadCompactParams,
            result: v2::ThreadCompactResponse,
            api: V2,
            example: { "threadId": "thr_1" },
        }
        /// Starts a turn: sends user input to the agent. Progress arrives as `turn/*` and
        /// `item/*` notifications.
        TurnStart => "turn/start" {
            params: v2::TurnStartParams,
            result: v2::TurnStartResponse,
            api: V2,
            example: {
                "threadId": "thr_1",
                "input": [{ "type": "text", "text": "List the files of this folder." }]
            },
            errors: &[
                MethodError::invalid_params("`input` is empty"),
                MethodError::invalid_request("no thread has the id `threadId`"),
            ],
        }
        /// Interrupts the running turn; it completes with status `interrupted`.
        TurnInterrupt => "turn/interrupt" {
            params: v2::TurnInterruptParams,
            result: v2::TurnInterruptResponse,
            api: V2,
            example: { "threadId": "thr_1", "turnId": "turn_1" },
        }
        /// Starts a code review turn on a thread (uncommitted changes, a branch, a commit or
        /// custom instructions).
        ReviewStart => "review/start" {
            params: v2::ReviewStartParams,
            result: v2::TurnStartResponse,
            api: V2,
            example: {
                "threadId": "thr_1",
                "target": { "type": "uncommittedChanges" },
                "appendToOriginalThread": false
            },
        }
        /// Lists the models the user can pick, one page at a time. Exactly one model (the one
        /// the server uses when the config names none) carries `isDefault: true`.
        ModelList => "model/list" {
            params: v2::ModelListParams,
            result: v2::ModelListResponse,
            api: V2,
            example: { "limit": 5 },
            errors: page_errors!("limit"),
        }
        /// Starts a login, with an API key or through the ChatGPT browser flow.
        AccountLoginStart => "account/login/start" {
            params: v2::LoginAccountParams,
            result: v2::LoginAccountResponse,
            api: V2,
            example: { "type": "apiKey", "apiKey": "sk-example-not-a-real-key" },
        }
        /// Cancels a pending ChatGPT login. Idempotent: an unknown or finished login id answers
        /// `{ "status": "notFound" }` rather than an error.
        AccountLoginCancel => "account/login/cancel" {
            params: v2::CancelLoginAccountParams,
            result: v2::CancelLoginAccountResponse,
            api: V2,
            example: { "loginId": "login-unknown" },
        }
        /// Logs the user out.
        AccountLogout => "account/logout" {
            result: v2::LogoutAccountResponse,
            api: V2,
        }
        /// Reads the account's current rate limits.
        AccountRateLimitsRead => "account/rateLimits/read" {
            result: v2::GetAccountRateLimitsResponse,
            api: V2,
        }
        /// Uploads user feedback, optionally with the logs of a conversation.
        FeedbackUpload => "feedback/upload" {
            params: v2::FeedbackUploadParams,
            result: v2::FeedbackUploadResponse,
            api: V2,
            example: {
                "classification": "bug",
                "reason": "An example upload.",
                "includeLogs": false
            },
        }
        /// Reads the signed-in account, if any.
        AccountRead => "account/read" {
            params: v2::GetAccountParams,
            result: v2::GetAccountResponse,
            api: V2,
            example: { "refreshToken": false },
        }
        /// Reads the effective configuration, with the origin of every key and, on request, the
        /// layers it was merged from.
        ConfigRead => "config/read" {
            params: v2::ConfigReadParams,
            result: v2::ConfigReadResponse,
            api: V2,
            example: { "includeLayers": false },
            errors: &[MethodError::invalid_params("`cwd` is not an absolute path")],
        }
        /// Writes one value into a config file, preserving its comments and formatting.
        /// Errors carry `data.configWriteErrorCode`.
        ConfigValueWrite => "config/value/write" {
            params: v2::ConfigValueWriteParams,
            result: v2::ConfigWriteResponse,
            api: V2,
            example: {
                "keyPath": "model",
                "value": "gpt-5.1-codex",
                "mergeStrategy": "replace"
            },
            errors: &[MethodError::invalid_request_per_value(
                "configWriteErrorCode",
                "v2.ConfigWriteErrorCode",
            )],
        }
        /// Applies several config edits atomically to one config file, preserving its comments
        /// and formatting. Errors carry `data.configWriteErrorCode`.
        ConfigBatchWrite => "config/batchWrite" {
            params: v2::ConfigBatchWriteParams,
            result: v2::ConfigWriteResponse,
            api: V2,
            example: {
                "edits": [{
                    "keyPath": "model",
                    "value": "gpt-5.1-codex",
                    "mergeStrategy": "replace"
                }]
            },
            errors: &[MethodError::invalid_request_per_value(
                "configWriteErrorCode",
                "v2.ConfigWriteErrorCode",
            )],
        }
        /// Starts an OAuth login for a configured MCP server. The client opens the returned
        /// URL; `mcpServer/oauthLogin/completed` reports the outcome.
        McpServerOauthLogin => "mcpServer/oauth/login" {
            params: v2::McpServerOauthLoginParams,
            result: v2::McpServerOauthLoginResponse,
            api: V2,
            aliases: ["mcpServer/oauthLogin"],
            example: { "name": "github" },
            errors: &[
                MethodError::invalid_request("no MCP server of that `name` is configured"),
                MethodError::invalid_request(
                    "the server cannot start an OAuth login for it (e.g. a stdio server without OAuth)",
                ),
            ],
        }
        /// Lists the configured MCP servers with their tools, resources and auth status, one
        /// page at a time.
        McpServerStatusList => "mcpServerStatus/list" {
            params: v2::ListMcpServerStatusParams,
            result: v2::ListMcpServerStatusResponse,
            api: V2,
            aliases: ["mcpServers/list", "mcp/servers/list"],
            example: { "limit": 5 },
            errors: page_errors!("limit"),
        }

        // ---- API v1 (legacy, frozen at the 0.63.0 wire) ----
        /// v1: starts a new conversation. Settings left `null` fall back to the user's config.
        NewConversation => "newConversation" {
            params: v1::NewConversationParams,
            result: v1::NewConversationResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `thread/start` instead.",
        }
        /// v1: reads the summary of one recorded conversation, found by rollout path or id.
        GetConversationSummary => "getConversationSummary" {
            params: v1::GetConversationSummaryParams,
            result: v1::GetConversationSummaryResponse,
            api: V1,
            deprecated: "v1 API, frozen. No direct v2 equivalent; `thread/list` lists threads with their previews.",
        }
        /// v1: lists recorded conversations, newest first, one page at a time.
        ///
        /// Pages are full: a page holds exactly `pageSize` items (default 25) unless the
        /// listing is exhausted, also when `modelProviders` filters conversations out, and
        /// `nextCursor` is `null` exactly when nothing more exists. The wire is unchanged from
        /// the baseline.
        ListConversations => "listConversations" {
            params: v1::ListConversationsParams,
            result: v1::ListConversationsResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `thread/list` instead.",
            errors: page_errors!("pageSize"),
        }
        /// v1: resumes a recorded conversation (by rollout path, id or explicit history) so
        /// that new messages can be sent to it.
        ResumeConversation => "resumeConversation" {
            params: v1::ResumeConversationParams,
            result: v1::ResumeConversationResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `thread/resume` instead.",
        }
        /// v1: archives a recorded conversation; it no longer shows in `listConversations`.
        ArchiveConversation => "archiveConversation" {
            params: v1::ArchiveConversationParams,
            result: v1::ArchiveConversationResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `thread/archive` instead.",
        }
        /// v1: sends user input to a conversation with its current settings.
        SendUserMessage => "sendUserMessage" {
            params: v1::SendUserMessageParams,
            result: v1::SendUserMessageResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `turn/start` instead.",
        }
        /// v1: sends user input together with the settings to use from this turn on.
        SendUserTurn => "sendUserTurn" {
            params: v1::SendUserTurnParams,
            result: v1::SendUserTurnResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `turn/start` (with its per-turn overrides) instead.",
        }
        /// v1: interrupts the running turn of a conversation; answered once it has stopped.
        InterruptConversation => "interruptConversation" {
            params: v1::InterruptConversationParams,
            result: v1::InterruptConversationResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `turn/interrupt` instead.",
        }
        /// v1: subscribes this connection to a conversation's events.
        AddConversationListener => "addConversationListener" {
            params: v1::AddConversationListenerParams,
            result: v1::AddConversationSubscriptionResponse,
            api: V1,
            deprecated: "v1 API, frozen. v2 needs no subscription: `thread/start` and `thread/resume` stream the thread's notifications to the client.",
        }
        /// v1: ends a subscription made with `addConversationListener`.
        RemoveConversationListener => "removeConversationListener" {
            params: v1::RemoveConversationListenerParams,
            result: v1::RemoveConversationSubscriptionResponse,
            api: V1,
            deprecated: "v1 API, frozen. v2 needs no subscription: `thread/start` and `thread/resume` stream the thread's notifications to the client.",
        }
        /// v1: the diff between a git working tree and a commit its remote knows.
        GitDiffToRemote => "gitDiffToRemote" {
            params: v1::GitDiffToRemoteParams,
            result: v1::GitDiffToRemoteResponse,
            api: V1,
            deprecated: "v1 API, frozen. No v2 equivalent yet.",
            errors: &[MethodError::invalid_request(
                "the diff cannot be computed, e.g. `cwd` is not in a git repository",
            )],
        }
        /// v1: signs in with an OpenAI API key.
        LoginApiKey => "loginApiKey" {
            params: v1::LoginApiKeyParams,
            result: v1::LoginApiKeyResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `account/login/start` with `type: \"apiKey\"` instead.",
        }
        /// v1: starts a ChatGPT browser login. The client opens `authUrl`;
        /// `loginChatGptComplete` reports the outcome.
        LoginChatGpt => "loginChatGpt" {
            result: v1::LoginChatGptResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `account/login/start` with `type: \"chatgpt\"` instead.",
        }
        /// v1: cancels a pending ChatGPT browser login.
        ///
        /// Unchanged from the baseline: a known pending login is cancelled and answered with
        /// `{}`; an unknown or already finished `loginId` is answered with a JSON-RPC error
        /// (-32600). The v2 `account/login/cancel` is idempotent instead.
        CancelLoginChatGpt => "cancelLoginChatGpt" {
            params: v1::CancelLoginChatGptParams,
            result: v1::CancelLoginChatGptResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `account/login/cancel` instead (idempotent: answers `{\"status\": \"notFound\"}` for an unknown login id).",
            errors: &[MethodError::invalid_request(
                "`loginId` is unknown or its login already finished",
            )],
        }
        /// v1: signs the user out.
        LogoutChatGpt => "logoutChatGpt" {
            result: v1::LogoutChatGptResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `account/logout` instead.",
        }
        /// v1: reads how the user is signed in, optionally with the access token.
        GetAuthStatus => "getAuthStatus" {
            params: v1::GetAuthStatusParams,
            result: v1::GetAuthStatusResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `account/read` instead.",
        }
        /// v1: reads the settings saved in the user's config file.
        GetUserSavedConfig => "getUserSavedConfig" {
            result: v1::GetUserSavedConfigResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `config/read` instead.",
        }
        /// v1: writes the default model and reasoning effort into the user's config file.
        SetDefaultModel => "setDefaultModel" {
            params: v1::SetDefaultModelParams,
            result: v1::SetDefaultModelResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `config/batchWrite` (keys `model` and `model_reasoning_effort`) instead.",
        }
        /// v1: reads the user agent the server sends upstream.
        GetUserAgent => "getUserAgent" {
            result: v1::GetUserAgentResponse,
            api: V1,
            deprecated: "v1 API, frozen. The `initialize` response carries the user agent.",
        }
        /// v1: reads the email address of the signed-in ChatGPT user.
        UserInfo => "userInfo" {
            result: v1::UserInfoResponse,
            api: V1,
            deprecated: "v1 API, frozen. Use `account/read` instead.",
        }
        /// v1: finds files whose path fuzzily matches a query, best match first (e.g. for an
        /// `@file` picker).
        FuzzyFileSearch => "fuzzyFileSearch" {
            params: v1::FuzzyFileSearchParams,
            result: v1::FuzzyFileSearchResponse,
            api: V1,
            deprecated: "v1 API, frozen. No v2 equivalent yet.",
        }
        /// v1: runs one command under the server's sandbox, outside any conversation, and
        /// answers with its output when it exits.
        ExecOneOffCommand => "execOneOffCommand" {
            params: v1::ExecOneOffCommandParams,
            result: v1::ExecOneOffCommandResponse,
            api: V1,
            deprecated: "v1 API, frozen. No v2 equivalent yet.",
        }
    }
}

request_table! {
    direction: ServerToClient,
    /// A request the server sends to a client (approvals), with its typed params.
    requests: ServerRequest,
    /// The methods the server may call on a client.
    methods: ServerRequestMethod,
    /// A client's successful answer to a [`ServerRequest`], typed by the answered method.
    results: ServerRequestResult,
    /// A [`ServerRequest`] as a client receives it: its params and a typed
    /// [`Responder`](crate::typed::Responder) that answers with this method's result only.
    incoming: IncomingServerRequest,
    /// The marker type of every server → client request ([`crate::typed::Request`]).
    markers: server_requests,
    /// What a client implements to answer the server's requests (approvals): one async
    /// method per server request, each answering -32601 unless implemented;
    /// [`dispatch`](ServerRequestHandler::dispatch) routes a received request to its method.
    handler: ServerRequestHandler,
    /// Metadata of every server → client request, in table order.
    table: SERVER_REQUESTS,
    rows: {
        /// Asks the user to approve running a command. The answer decides whether it runs.
        CommandExecutionRequestApproval => "item/commandExecution/requestApproval" {
            params: v2::CommandExecutionRequestApprovalParams,
            result: v2::CommandExecutionRequestApprovalResponse,
            api: V2,
        }
        /// Asks the user to approve a set of file changes. The answer decides whether they are
        /// applied.
        FileChangeRequestApproval => "item/fileChange/requestApproval" {
            params: v2::FileChangeRequestApprovalParams,
            result: v2::FileChangeRequestApprovalResponse,
            api: V2,
        }

        // ---- API v1 (legacy, frozen at the 0.63.0 wire) ----
        /// v1: asks the user to approve file changes. The answer decides whether they are
        /// applied.
        ApplyPatchApproval => "applyPatchApproval" {
            params: v1::ApplyPatchApprovalParams,
            result: v1::ApplyPatchApprovalResponse,
            api: V1,
            deprecated: "v1 API, frozen. v2 clients get `item/fileChange/requestApproval` instead.",
        }
        /// v1: asks the user to approve running a command. The answer decides whether it runs.
        ExecCommandApproval => "execCommandApproval" {
            params: v1::ExecCommandApprovalParams,
            result: v1::ExecCommandApprovalResponse,
            api: V1,
            deprecated: "v1 API, frozen. v2 clients get `item/commandExecution/requestApproval` instead.",
        }
    }
}

notification_table! {
    direction: ServerToClient,
    /// A notification the server sends to clients, with its typed params.
    notifications: ServerNotification,
    /// The notifications the server may send.
    methods: ServerNotificationMethod,
    /// The marker type of every server → client notification ([`crate::typed::Notification`]).
    markers: server_notifications,
    /// Metadata of every server → client notification, in table order.
    table: SERVER_NOTIFICATIONS,
    rows: {
        /// An error during a turn. `willRetry: true` means the server retries by itself and the
        /// turn goes on (show it as transient); `false` means the turn ends.
        Error => "error" {
            params: v2::ErrorNotification,
            api: V2,
        }
        /// A thread was started (by this client or another one).
        ThreadStarted => "thread/started" {
            params: v2::ThreadStartedNotification,
            api: V2,
        }
        /// A turn started.
        TurnStarted => "turn/started" {
            params: v2::TurnStartedNotification,
            api: V2,
        }
        /// A turn ended: completed, interrupted or failed (then `turn.error` says why).
        TurnCompleted => "turn/completed" {
            params: v2::TurnCompletedNotification,
            api: V2,
        }
        /// The unified diff of every file change so far in the turn, re-sent whole after each
        /// change.
        TurnDiffUpdated => "turn/diff/updated" {
            params: v2::TurnDiffUpdatedNotification,
            api: V2,
        }
        /// An item (message, command, file change, tool call …) started.
        ItemStarted => "item/started" {
            params: v2::ItemStartedNotification,
            api: V2,
        }
        /// An item finished; this carries its final state.
        ItemCompleted => "item/completed" {
            params: v2::ItemCompletedNotification,
            api: V2,
        }
        /// More text of an agent message item, streamed.
        AgentMessageDelta => "item/agentMessage/delta" {
            params: v2::AgentMessageDeltaNotification,
            api: V2,
        }
        /// More output of a running command, streamed.
        CommandExecutionOutputDelta => "item/commandExecution/outputDelta" {
            params: v2::CommandExecutionOutputDeltaNotification,
            api: V2,
        }
        /// A progress message from a running MCP tool call.
        McpToolCallProgress => "item/mcpToolCall/progress" {
            params: v2::McpToolCallProgressNotification,
            api: V2,
        }
        /// The signed-in account changed (login, logout, auth mode).
        AccountUpdated => "account/updated" {
            params: v2::AccountUpdatedNotification,
            api: V2,
        }
        /// The account's rate limits changed.
        AccountRateLimitsUpdated => "account/rateLimits/updated" {
            params: v2::AccountRateLimitsUpdatedNotification,
            api: V2,
        }
        /// More text of a reasoning summary, streamed.
        ReasoningSummaryTextDelta => "item/reasoning/summaryTextDelta" {
            params: v2::ReasoningSummaryTextDeltaNotification,
            api: V2,
        }
        /// A new part of a reasoning summary started.
        ReasoningSummaryPartAdded => "item/reasoning/summaryPartAdded" {
            params: v2::ReasoningSummaryPartAddedNotification,
            api: V2,
        }
        /// More raw reasoning text, streamed.
        ReasoningTextDelta => "item/reasoning/textDelta" {
            params: v2::ReasoningTextDeltaNotification,
            api: V2,
        }
        /// Windows only: some folders are world-writable, which weakens the sandbox.
        WindowsWorldWritableWarning => "windows/worldWritableWarning" {
            params: v2::WindowsWorldWritableWarningNotification,
            api: V2,
        }
        /// A login started with `account/login/start` finished, successfully or not.
        AccountLoginCompleted => "account/login/completed" {
            params: v2::AccountLoginCompletedNotification,
            api: V2,
        }
        /// An MCP OAuth login started with `mcpServer/oauth/login` finished: sent on success
        /// and on failure (e.g. timeout).
        McpServerOauthLoginCompleted => "mcpServer/oauthLogin/completed" {
            params: v2::McpServerOauthLoginCompletedNotification,
            api: V2,
        }

        // ---- API v1 (legacy, frozen at the 0.63.0 wire) ----
        /// v1: the user signed in, out, or switched auth method.
        AuthStatusChange => "authStatusChange" {
            params: v1::AuthStatusChangeNotification,
            api: V1,
            deprecated: "v1 API, frozen. v2 clients get `account/updated` instead.",
        }
        /// v1: a login started with `loginChatGpt` finished, successfully or not.
        LoginChatGptComplete => "loginChatGptComplete" {
            params: v1::LoginChatGptCompleteNotification,
            api: V1,
            deprecated: "v1 API, frozen. v2 clients get `account/login/completed` instead.",
        }
        /// v1: a conversation's session is ready, with the settings it runs with.
        SessionConfigured => "sessionConfigured" {
            params: v1::SessionConfiguredNotification,
            api: V1,
            deprecated: "v1 API, frozen. v2 clients get the thread in the `thread/start` / `thread/resume` response and `thread/started`.",
        }
        /// v1 and v2: the legacy event stream, one method per event type
        /// (`codex/event/agent_message_delta` carries an `agent_message_delta` event). Released
        /// servers send it beside the v2 notifications on every thread; v1 clients get it after
        /// `addConversationListener`. A v2 client may ignore it.
        LegacyEvent => "codex/event/" {
            params: v1::LegacyEventNotification,
            api: V1,
            family: "msg.type",
        }
    }
}

notification_table! {
    direction: ClientToServer,
    /// A notification a client sends to the server.
    notifications: ClientNotification,
    /// The notifications a client may send.
    methods: ClientNotificationMethod,
    /// The marker type of every client → server notification ([`crate::typed::Notification`]).
    markers: client_notifications,
    /// Metadata of every client → server notification, in table order.
    table: CLIENT_NOTIFICATIONS,
    rows: {
        /// Sent once after the `initialize` response: the client is ready for notifications.
        Initialized => "initialized" {
            api: Shared,
        }
    }
}

/// Every row of every table: client requests, server requests, server notifications, client
/// notifications, in that order.
pub fn all_methods() -> impl Iterator<Item = &'static MethodMeta> {
    CLIENT_REQUESTS
        .iter()
        .chain(SERVER_REQUESTS)
        .chain(SERVER_NOTIFICATIONS)
        .chain(CLIENT_NOTIFICATIONS)
}

/// Who sends the method `name` (its canonical wire name or a deprecated alias), or `None`
/// for a name no table knows. The one place that answers it: the decoders (a method the other
/// side sends is -32601 here), transcript tools inferring the sender of an unmarked line, and
/// the fuzz targets all ask this. No wire name or alias is used by both sides (a test checks).
///
/// ```
/// use app_server_protocol::{Direction, sender_of};
///
/// assert_eq!(sender_of("thread/start"), Some(Direction::ClientToServer));
/// assert_eq!(sender_of("turn/completed"), Some(Direction::ServerToClient));
/// assert_eq!(sender_of("no/such/method"), None);
/// ```
pub fn sender_of(name: &str) -> Option<Direction> {
    if ClientRequestMethod::from_wire(name).is_some()
        || ClientNotificationMethod::from_wire(name).is_some()
    {
        Some(Direction::ClientToServer)
    } else if ServerRequestMethod::from_wire(name).is_some()
        || ServerNotificationMethod::from_wire(name).is_some()
    {
        Some(Direction::ServerToClient)
    } else {
        None
    }
}
