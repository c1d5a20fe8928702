//! The default model and the `model/list` listing (C3).
//!
//! When the config names no model (`model: null`, which is normal) the server uses a default
//! chosen among its [`ModelPreset`]s by [`default_model`]:
//!
//! 1. the preset with id [`AUTO_BALANCED_MODEL_ID`] (`codex-auto-balanced`) when present;
//! 2. otherwise the first preset marked `isDefault`;
//! 3. otherwise the first preset;
//! 4. `None` when there are no presets.
//!
//! [`model_list_response`] builds a `model/list` page from the presets (each converted with
//! `impl From<ModelPreset> for Model`) so that clients and server agree: exactly the model
//! [`default_model`] picks carries `isDefault: true`, whatever the presets' own flags say, and
//! no other model does. It paginates with the [`crate::pagination`] helper, so pages are full
//! and cursors chain.
//!
//! # Example
//!
//! ```
//! use app_server_protocol::core_types::ReasoningEffort;
//! use app_server_behaviour::model_default::{default_model, model_list_response};
//! use app_server_protocol::v2::{ModelListParams, ModelPreset};
//!
//! let preset = |id: &str, is_default: bool| ModelPreset {
//!     id: id.into(),
//!     model: id.into(),
//!     display_name: id.into(),
//!     description: String::new(),
//!     default_reasoning_effort: ReasoningEffort::Medium,
//!     supported_reasoning_efforts: vec![],
//!     is_default,
//!     upgrade: None,
//! };
//! let presets = vec![
//!     preset("gpt-5-codex", true),
//!     preset("gpt-5", false),
//!     preset("codex-auto-balanced", false),
//! ];
//! assert_eq!(default_model(&presets).map(|p| p.id.as_str()), Some("codex-auto-balanced"));
//!
//! let limit = std::num::NonZeroU32::new(2).expect("not zero");
//! let page = model_list_response(&presets, &ModelListParams::new().with_limit(limit))?;
//! assert_eq!(page.data.len(), 2);
//! assert!(page.data.iter().all(|model| !model.is_default)); // gpt-5-codex's own flag is dropped
//! let cursor = page.next_cursor.expect("a next page");
//! let rest = model_list_response(
//!     &presets,
//!     &ModelListParams::new().with_cursor(cursor).with_limit(limit),
//! )?;
//! assert_eq!(rest.data[0].id, "codex-auto-balanced");
//! assert!(rest.data[0].is_default);
//! assert_eq!(rest.next_cursor, None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::convert::Infallible;

use crate::pagination::{PageError, SourcePage, fill_page};
use app_server_protocol::v2::{Model, ModelListParams, ModelListResponse, ModelPreset};

/// The id of the preset that is the default whenever it is available.
pub const AUTO_BALANCED_MODEL_ID: &str = "codex-auto-balanced";

/// Index of the default preset in `presets` (see the module docs); `None` when empty.
pub fn default_model_index(presets: &[ModelPreset]) -> Option<usize> {
    presets
        .iter()
        .position(|preset| preset.id == AUTO_BALANCED_MODEL_ID)
        .or_else(|| presets.iter().position(|preset| preset.is_default))
        .or(if presets.is_empty() { None } else { Some(0) })
}

/// The preset to use when the config names no model (see the module docs); `None` when
/// `presets` is empty.
pub fn default_model(presets: &[ModelPreset]) -> Option<&ModelPreset> {
    default_model_index(presets).map(|index| &presets[index])
}

/// Every preset as a `model/list` item, in order, with `isDefault: true` on exactly the one
/// [`default_model`] picks (none when `presets` is empty).
pub fn models_from_presets(presets: &[ModelPreset]) -> Vec<Model> {
    let default = default_model_index(presets);
    presets
        .iter()
        .enumerate()
        .map(|(index, preset)| Model {
            is_default: Some(index) == default,
            ..Model::from(preset.clone())
        })
        .collect()
}

/// One page of `model/list` for `params` (see the module docs).
///
/// Errors: a cursor this function did not produce ([`PageError::InvalidCursor`]), answered
/// with -32602. (`limit: 0` does not get here: the decoder refuses it.)
pub fn model_list_response(
    presets: &[ModelPreset],
    params: &ModelListParams,
) -> Result<ModelListResponse, PageError<Infallible>> {
    let models = models_from_presets(presets);
    // The whole listing is one raw page; the page cursor is an offset into it. A cursor
    // naming a further raw page was not made here.
    let mut source = |cursor: Option<&str>| match cursor {
        None => Ok(SourcePage { items: models.clone(), next_cursor: None }),
        Some(_) => Err(()),
    };
    let page = fill_page(&mut source, |_| true, params.cursor.as_deref(), params.limit).map_err(
        |error| match error {
            PageError::InvalidCursor { .. } | PageError::Source(()) => {
                PageError::InvalidCursor { cursor: params.cursor.clone().unwrap_or_default() }
            }
        },
    )?;
    let response = ModelListResponse::new(page.items);
    Ok(match page.next_cursor {
        Some(cursor) => response.with_next_cursor(cursor),
        None => response,
    })
}
