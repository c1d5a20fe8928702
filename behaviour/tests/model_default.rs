//! C3: preset → model conversion, default-model selection, and the `model/list` builder.

use std::num::NonZeroU32;

use app_server_behaviour::model_default::{
    AUTO_BALANCED_MODEL_ID, default_model, default_model_index, model_list_response,
    models_from_presets,
};
use app_server_behaviour::pagination::PageError;
use app_server_protocol::ErrorCode;
use app_server_protocol::core_types::ReasoningEffort;
use app_server_protocol::v2::{
    Model, ModelListParams, ModelPreset, ModelUpgrade, ReasoningEffortOption, ReasoningEffortPreset,
};
use proptest::prelude::*;

fn preset(id: &str, is_default: bool) -> ModelPreset {
    ModelPreset {
        id: id.to_owned(),
        model: format!("{id}-slug"),
        display_name: id.to_uppercase(),
        description: format!("about {id}"),
        default_reasoning_effort: ReasoningEffort::Medium,
        supported_reasoning_efforts: vec![
            ReasoningEffortPreset { effort: ReasoningEffort::Low, description: "fast".into() },
            ReasoningEffortPreset { effort: ReasoningEffort::High, description: "deep".into() },
        ],
        is_default,
        upgrade: Some(ModelUpgrade { id: "newer".into(), reasoning_effort_mapping: None }),
    }
}

fn ids(models: &[Model]) -> Vec<&str> {
    models.iter().map(|model| model.id.as_str()).collect()
}

fn defaults(models: &[Model]) -> Vec<&str> {
    models.iter().filter(|model| model.is_default).map(|model| model.id.as_str()).collect()
}

#[test]
fn preset_converts_to_model() {
    let model = Model::from(preset("gpt-5-codex", true));
    assert_eq!(
        model,
        Model {
            id: "gpt-5-codex".into(),
            model: "gpt-5-codex-slug".into(),
            display_name: "GPT-5-CODEX".into(),
            description: "about gpt-5-codex".into(),
            supported_reasoning_efforts: vec![
                ReasoningEffortOption {
                    reasoning_effort: ReasoningEffort::Low,
                    description: "fast".into()
                },
                ReasoningEffortOption {
                    reasoning_effort: ReasoningEffort::High,
                    description: "deep".into()
                },
            ],
            default_reasoning_effort: ReasoningEffort::Medium,
            is_default: true,
        }
    );
}

#[test]
fn default_selection_order() {
    // codex-auto-balanced wins over an isDefault preset, wherever it is.
    let presets = [preset("a", true), preset("b", false), preset(AUTO_BALANCED_MODEL_ID, false)];
    assert_eq!(default_model(&presets).unwrap().id, AUTO_BALANCED_MODEL_ID);
    // Otherwise the (first) preset marked isDefault.
    let presets = [preset("a", false), preset("b", true), preset("c", true)];
    assert_eq!(default_model(&presets).unwrap().id, "b");
    // Otherwise the first.
    let presets = [preset("a", false), preset("b", false)];
    assert_eq!(default_model(&presets).unwrap().id, "a");
    assert_eq!(default_model_index(&presets), Some(0));
    // None when empty.
    assert_eq!(default_model(&[]), None);
    // The slug does not count: only the preset id names codex-auto-balanced.
    let mut slug_only = preset("x", false);
    slug_only.model = AUTO_BALANCED_MODEL_ID.into();
    let presets = [preset("a", true), slug_only];
    assert_eq!(default_model(&presets).unwrap().id, "a");
}

#[test]
fn listing_marks_exactly_the_helpers_pick() {
    let presets = [preset("a", true), preset("b", true), preset(AUTO_BALANCED_MODEL_ID, false)];
    let models = models_from_presets(&presets);
    assert_eq!(ids(&models), vec!["a", "b", AUTO_BALANCED_MODEL_ID]);
    assert_eq!(defaults(&models), vec![AUTO_BALANCED_MODEL_ID]);
    assert!(models_from_presets(&[]).is_empty());
}

#[test]
fn model_list_paginates_with_full_pages() {
    let presets: Vec<ModelPreset> = (0..5).map(|i| preset(&format!("m{i}"), i == 3)).collect();
    let params = |cursor: Option<String>, limit: Option<u32>| {
        let mut params = ModelListParams::new();
        params.cursor = cursor;
        params.limit = limit.map(|limit| NonZeroU32::new(limit).unwrap());
        params
    };
    let first = model_list_response(&presets, &params(None, Some(2))).unwrap();
    assert_eq!(ids(&first.data), vec!["m0", "m1"]);
    let second = model_list_response(&presets, &params(first.next_cursor, Some(2))).unwrap();
    assert_eq!(ids(&second.data), vec!["m2", "m3"]);
    assert_eq!(defaults(&second.data), vec!["m3"]);
    let third = model_list_response(&presets, &params(second.next_cursor, Some(2))).unwrap();
    assert_eq!(ids(&third.data), vec!["m4"]);
    assert_eq!(third.next_cursor, None);

    // Exactly ending the listing: no cursor. Absent limit: 25.
    let all = model_list_response(&presets, &params(None, Some(5))).unwrap();
    assert_eq!(all.data.len(), 5);
    assert_eq!(all.next_cursor, None);
    let all = model_list_response(&presets, &params(None, None)).unwrap();
    assert_eq!(all.data.len(), 5);
    assert_eq!(all.next_cursor, None);

    let empty = model_list_response(&[], &params(None, None)).unwrap();
    assert!(empty.data.is_empty());
    assert_eq!(empty.next_cursor, None);
}

#[test]
fn model_list_rejects_bad_params() {
    let presets = [preset("a", false)];
    for cursor in ["nope", "o1:other-source"] {
        let params = ModelListParams::new().with_cursor(cursor);
        let err = model_list_response(&presets, &params).unwrap_err();
        assert_eq!(err, PageError::InvalidCursor { cursor: cursor.into() });
        assert_eq!(err.json_rpc_code(), Some(ErrorCode::INVALID_PARAMS));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Over all pages: every preset once, in order, and at most one isDefault — exactly the
    /// helper's pick.
    #[test]
    fn model_list_has_at_most_one_default(
        flags in proptest::collection::vec((any::<bool>(), 0u8..8), 0..12),
        limit in 1u32..6,
    ) {
        let presets: Vec<ModelPreset> = flags
            .iter()
            .enumerate()
            .map(|(i, (is_default, kind))| {
                let id = if *kind == 0 { AUTO_BALANCED_MODEL_ID.to_owned() } else { format!("m{i}") };
                preset(&id, *is_default)
            })
            .collect();
        let mut cursor = None;
        let mut all = Vec::new();
        loop {
            let mut params = ModelListParams::new().with_limit(NonZeroU32::new(limit).unwrap());
            params.cursor = cursor;
            let page = model_list_response(&presets, &params).unwrap();
            prop_assert!(page.data.len() == limit as usize || page.next_cursor.is_none());
            all.extend(page.data);
            cursor = page.next_cursor;
            if cursor.is_none() { break; }
        }
        prop_assert_eq!(all.len(), presets.len());
        let marked: Vec<usize> = all.iter().enumerate().filter(|(_, m)| m.is_default).map(|(i, _)| i).collect();
        match default_model_index(&presets) {
            None => prop_assert!(marked.is_empty()),
            Some(index) => prop_assert_eq!(marked, vec![index]),
        }
    }
}
