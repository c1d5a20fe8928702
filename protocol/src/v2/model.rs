//! Models: the `model/list` request and its items ([`Model`]), and the model presets the
//! server builds that list from ([`ModelPreset`] and friends).

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use app_server_protocol_derive::Payload;
use serde::{Deserialize, Serialize};

use crate::core_types::ReasoningEffort;

/// Params of `model/list`. Paginated.
///
/// Pagination contract (shared by every paginated v2 method): a page holds exactly `limit`
/// items unless the listing is exhausted; `nextCursor` in the response is `null` exactly when
/// nothing more exists. Pass it back as `cursor` to get the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ModelListParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ModelListParams {
    /// The `nextCursor` of the previous page; omit (or `null`) for the first page. Opaque:
    /// do not build or parse it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The page size: an integer from 1 to 4294967295; omit (or `null`) for the server's
    /// default of 25. `0` is refused by the decoder with error -32602 (invalid params) at
    /// `params.limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<NonZeroU32>,
}

/// Result of `model/list`: one page of models.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ModelListResponse"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ModelListResponse {
    /// The models of this page: exactly `limit` of them unless the listing is exhausted.
    pub data: Vec<Model>,
    /// Pass as `cursor` to get the next page; `null` exactly when there is no next page.
    pub next_cursor: Option<String>,
}

/// A model the user can pick, as listed by `model/list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.Model"))]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// The preset's id, stable across releases, e.g. `"gpt-5-codex"`.
    pub id: String,
    /// The model slug sent to the provider (what the config's `model` key holds).
    pub model: String,
    /// A name to show in a model picker.
    pub display_name: String,
    /// One line about what the model is good at.
    pub description: String,
    /// The reasoning efforts the model accepts, in the order to offer them.
    pub supported_reasoning_efforts: Vec<ReasoningEffortOption>,
    /// The effort used when the user picks none.
    pub default_reasoning_effort: ReasoningEffort,
    /// `true` for exactly one model of the listing: the one the server uses when the config
    /// names no model.
    pub is_default: bool,
}

/// A reasoning effort a [`Model`] accepts, with a description to show next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ReasoningEffortOption"))]
#[serde(rename_all = "camelCase")]
pub struct ReasoningEffortOption {
    /// The effort.
    pub reasoning_effort: ReasoningEffort,
    /// What picking it means for this model, e.g. `"Fast answers for simple tasks"`.
    pub description: String,
}

/// A model preset: the server's description of a model it offers, from which `model/list`
/// items are made (see `impl From<ModelPreset> for Model`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ModelPreset"))]
#[serde(rename_all = "camelCase")]
pub struct ModelPreset {
    /// The preset's id, stable across releases, e.g. `"codex-auto-balanced"`.
    pub id: String,
    /// The model slug sent to the provider.
    pub model: String,
    /// A name to show in a model picker.
    pub display_name: String,
    /// One line about what the model is good at.
    pub description: String,
    /// The effort used when the user picks none.
    pub default_reasoning_effort: ReasoningEffort,
    /// The reasoning efforts the model accepts, in the order to offer them.
    pub supported_reasoning_efforts: Vec<ReasoningEffortPreset>,
    /// Whether the preset marks itself as the default. The model actually used when the
    /// config names none is chosen among the presets (a preset with id `codex-auto-balanced`
    /// wins over this flag); `model/list` marks only that one as default.
    pub is_default: bool,
    /// A newer model that users of this one should be offered; `null` when there is none.
    pub upgrade: Option<ModelUpgrade>,
}

/// A reasoning effort a [`ModelPreset`] accepts, with a description to show next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ReasoningEffortPreset"))]
#[serde(rename_all = "camelCase")]
pub struct ReasoningEffortPreset {
    /// The effort.
    pub effort: ReasoningEffort,
    /// What picking it means for this model.
    pub description: String,
}

/// A suggested move from one model preset to a newer one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ModelUpgrade"))]
#[serde(rename_all = "camelCase")]
pub struct ModelUpgrade {
    /// The id of the preset to upgrade to.
    pub id: String,
    /// How the user's current reasoning effort translates to the new model, keyed by the old
    /// effort (e.g. `{"minimal": "low"}`); an effort missing from the map is kept as it is.
    /// `null` when every effort is kept.
    pub reasoning_effort_mapping: Option<BTreeMap<ReasoningEffort, ReasoningEffort>>,
}

impl From<ReasoningEffortPreset> for ReasoningEffortOption {
    fn from(preset: ReasoningEffortPreset) -> Self {
        ReasoningEffortOption { reasoning_effort: preset.effort, description: preset.description }
    }
}

/// Makes the `model/list` item of a preset. `isDefault` is copied from the preset; a server
/// building a listing must set it so that exactly the model it uses by default carries it.
/// The preset's `upgrade` is not part of a [`Model`] and is dropped.
impl From<ModelPreset> for Model {
    fn from(preset: ModelPreset) -> Self {
        Model {
            id: preset.id,
            model: preset.model,
            display_name: preset.display_name,
            description: preset.description,
            supported_reasoning_efforts: preset
                .supported_reasoning_efforts
                .into_iter()
                .map(ReasoningEffortOption::from)
                .collect(),
            default_reasoning_effort: preset.default_reasoning_effort,
            is_default: preset.is_default,
        }
    }
}
