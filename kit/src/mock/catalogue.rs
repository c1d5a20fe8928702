//! What the mock offers: its model presets (listed by `model/list` with the default-model
//! rule of the protocol crate) and its MCP servers (`mcpServerStatus/list`,
//! `mcpServer/oauth/login`).

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use app_server_behaviour::model_default::{default_model, model_list_response};
use app_server_behaviour::pagination::{SourcePage, fill_page};
use app_server_protocol::JsonRpcError;
use app_server_protocol::core_types::{ReasoningEffort, Resource, Tool};
use app_server_protocol::v2::{
    ListMcpServerStatusResponse, McpAuthStatus, McpServerStatus, ModelListParams,
    ModelListResponse, ModelPreset, ReasoningEffortPreset,
};
use serde_json::json;

/// The mock's model presets. `gpt-5.1-codex` carries the presets' own `isDefault` flag, but
/// `codex-auto-balanced` is present, so the default-model rule picks it.
pub(crate) fn presets() -> Vec<ModelPreset> {
    let efforts = |efforts: &[ReasoningEffort]| {
        efforts
            .iter()
            .map(|effort| ReasoningEffortPreset {
                effort: effort.clone(),
                description: format!("{effort:?} reasoning"),
            })
            .collect::<Vec<_>>()
    };
    let all = [ReasoningEffort::Low, ReasoningEffort::Medium, ReasoningEffort::High];
    let preset = |id: &str, name: &str, description: &str, is_default| ModelPreset {
        id: id.into(),
        model: id.into(),
        display_name: name.into(),
        description: description.into(),
        default_reasoning_effort: ReasoningEffort::Medium,
        supported_reasoning_efforts: efforts(&all),
        is_default,
        upgrade: None,
    };
    vec![
        preset("gpt-5.1-codex", "GPT-5.1 Codex", "Optimized for coding tasks.", true),
        preset(
            "gpt-5.1-codex-mini",
            "GPT-5.1 Codex Mini",
            "Faster and cheaper, for simple tasks.",
            false,
        ),
        preset("gpt-5.1", "GPT-5.1", "Broad world knowledge with strong reasoning.", false),
        preset(
            "codex-auto-balanced",
            "Auto (balanced)",
            "Picks a model per task, balancing speed and quality.",
            false,
        ),
    ]
}

/// The model a thread uses when neither its params nor the config name one.
pub(crate) fn default_model_id() -> String {
    default_model(&presets())
        .map_or_else(|| "gpt-5.1-codex".to_owned(), |preset| preset.model.clone())
}

/// `model/list`: a page of the presets, exactly the default one marked `isDefault`.
pub(crate) fn model_list(params: &ModelListParams) -> Result<ModelListResponse, JsonRpcError> {
    model_list_response(&presets(), params).map_err(JsonRpcError::from)
}

/// The mock's MCP servers.
pub(crate) fn mcp_servers() -> Vec<McpServerStatus> {
    let tool = |name: &str, description: &str| -> Option<Tool> {
        serde_json::from_value(json!({
            "name": name,
            "description": description,
            "inputSchema": { "type": "object", "properties": { "query": { "type": "string" } }, "required": ["query"] },
        }))
        .ok()
    };
    let tools = |list: &[(&str, &str)]| -> BTreeMap<String, Tool> {
        list.iter()
            .filter_map(|(name, description)| Some(((*name).to_owned(), tool(name, description)?)))
            .collect()
    };
    let resource: Option<Resource> = serde_json::from_value(json!({
        "name": "handbook", "uri": "docs://handbook", "mimeType": "text/markdown", "description": "The team handbook",
    }))
    .ok();
    vec![
        McpServerStatus {
            name: "docs".into(),
            tools: tools(&[
                ("search_docs", "Search the documentation"),
                ("read_page", "Read one documentation page"),
            ]),
            resources: resource.into_iter().collect(),
            resource_templates: Vec::new(),
            auth_status: McpAuthStatus::Unsupported,
        },
        McpServerStatus {
            name: "github".into(),
            tools: tools(&[("search_issues", "Search issues and pull requests")]),
            resources: Vec::new(),
            resource_templates: Vec::new(),
            auth_status: McpAuthStatus::NotLoggedIn,
        },
        McpServerStatus {
            name: "linear".into(),
            tools: tools(&[("list_tickets", "List the tickets assigned to you")]),
            resources: Vec::new(),
            resource_templates: Vec::new(),
            auth_status: McpAuthStatus::OAuth,
        },
    ]
}

/// `mcpServerStatus/list`: a page of the MCP servers.
pub(crate) fn mcp_server_list(
    cursor: Option<&str>,
    limit: Option<NonZeroU32>,
) -> Result<ListMcpServerStatusResponse, JsonRpcError> {
    let servers = mcp_servers();
    let mut source = |cursor: Option<&str>| match cursor {
        None => Ok(SourcePage { items: servers.clone(), next_cursor: None }),
        Some(_) => {
            Err(JsonRpcError::invalid_params("params.cursor", "a `nextCursor` of an earlier page"))
        }
    };
    let page = fill_page(&mut source, |_| true, cursor, limit).map_err(|error| match error {
        app_server_behaviour::pagination::PageError::Source(error) => error,
        invalid => invalid.into(),
    })?;
    let mut response = ListMcpServerStatusResponse::new(page.items);
    response.next_cursor = page.next_cursor;
    Ok(response)
}
