//! Unit tests of `#[derive(Payload)]`: which members are required, their wire names, and what
//! is generated for each kind of member. The protocol crate's `tests/payload_constructors.rs`
//! checks the real payloads against the decoder.

use quote::quote;
use syn::DeriveInput;

use super::{Container, Member, expand, rename};

fn input(source: &str) -> DeriveInput {
    syn::parse_str(source).expect("valid struct")
}

/// The generated code as text, in `quote!`'s spacing (compare with `quote!{…}.to_string()`).
fn expanded(source: &str) -> String {
    expand(&input(source)).expect("the derive accepts it").to_string()
}

fn error(source: &str) -> String {
    match expand(&input(source)) {
        Ok(_) => panic!("the derive accepted {source}"),
        Err(err) => err.to_string(),
    }
}

/// `(wire name, required)` of every member.
fn shape(source: &str) -> Vec<(String, bool)> {
    let input = input(source);
    let container = Container::parse(&input.attrs).unwrap();
    let syn::Data::Struct(data) = &input.data else { panic!("a struct") };
    data.fields
        .iter()
        .map(|field| {
            let member = Member::parse(field, &container).unwrap();
            (member.wire, member.required)
        })
        .collect()
}

fn owned(pairs: &[(&str, bool)]) -> Vec<(String, bool)> {
    pairs.iter().map(|(name, required)| (name.to_string(), *required)).collect()
}

const MIXED: &str = r#"
    #[serde(rename_all = "camelCase")]
    struct Mixed {
        /// The thread.
        ///
        /// More about it.
        thread_id: String,
        /// The page size.
        /// Absent means 25.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
        cursor: Option<String>,
        #[serde(default)]
        include_hidden: bool,
        #[serde(rename = "X-Renamed")]
        renamed: Vec<String>,
        #[serde(default = "defaults::five")]
        retries: u8,
        #[serde(deserialize_with = "lenient")]
        reason: Option<String>,
        #[serde(default, deserialize_with = "lenient")]
        note: Option<String>,
        #[serde(skip_deserializing)]
        cache: Vec<u8>,
        #[serde(rename(serialize = "out", deserialize = "in"))]
        both_ways: String,
        r#type: String,
    }
"#;

#[test]
fn required_members_are_those_the_decoder_needs() {
    assert_eq!(
        shape(MIXED),
        owned(&[
            ("threadId", true),
            ("limit", false),
            ("cursor", false),
            ("includeHidden", false),
            ("X-Renamed", true),
            ("retries", false),
            // An `Option` with its own deserializer and no default: serde requires it.
            ("reason", true),
            ("note", false),
            ("cache", false),
            ("in", true),
            ("type", true),
        ])
    );
}

#[test]
fn new_takes_the_required_members_in_declaration_order() {
    let out = expanded(MIXED);
    let new = quote! {
        pub fn new(
            thread_id: impl ::core::convert::Into<String>,
            renamed: impl ::core::convert::Into<Vec<String> >,
            reason: impl ::core::convert::Into<Option<String> >,
            both_ways: impl ::core::convert::Into<String>,
            r#type: impl ::core::convert::Into<String>
        ) -> Self
    };
    assert!(out.contains(&new.to_string()), "{out}");
    let body = quote! {
        Self {
            thread_id: thread_id.into(),
            limit: ::core::option::Option::None,
            cursor: ::core::option::Option::None,
            include_hidden: ::core::default::Default::default(),
            renamed: renamed.into(),
            retries: defaults::five(),
            reason: reason.into(),
            note: ::core::option::Option::None,
            cache: ::core::default::Default::default(),
            both_ways: both_ways.into(),
            r#type: r#type.into()
        }
    };
    assert!(out.contains(&body.to_string()), "{out}");
    let shape = quote! {
        PayloadShape::Struct { required: &["threadId", "X-Renamed", "reason", "in", "type"] };
        fn default_value() -> ::core::option::Option<Self> {
            ::core::option::Option::None
        }
    };
    assert!(out.contains(&shape.to_string()), "{out}");
}

#[test]
fn new_is_documented_with_the_required_members() {
    let out = expanded(MIXED);
    for line in [
        " A `Mixed` from its required members (below, in wire spelling), in declaration order.",
        " - `threadId`: The thread.",
        " - `X-Renamed`",
        " - `type`",
    ] {
        let doc = quote! { #[doc = #line] }.to_string();
        assert!(out.contains(&doc), "missing {doc} in {out}");
    }
}

#[test]
fn optional_members_get_setters_with_their_docs() {
    let out = expanded(MIXED);
    // `Option<u32>`: takes the number itself (an integer literal would not infer through
    // `Into`) and stores `Some`; the member's docs follow the "Sets" prefix.
    let limit = quote! {
        #[doc = " Sets `limit`: The page size."]
        #[doc = " Absent means 25."]
        #[must_use]
        pub fn with_limit(mut self, value: u32) -> Self {
            self.limit = ::core::option::Option::Some(value);
            self
        }
    };
    assert!(out.contains(&limit.to_string()), "{out}");
    let cursor = quote! {
        #[doc = " Sets `cursor`."]
        #[must_use]
        pub fn with_cursor(mut self, value: impl ::core::convert::Into<String>) -> Self {
            self.cursor = ::core::option::Option::Some(value.into());
            self
        }
    };
    assert!(out.contains(&cursor.to_string()), "{out}");
    let include_hidden = quote! {
        pub fn with_include_hidden(mut self, value: bool) -> Self {
            self.include_hidden = value;
            self
        }
    };
    assert!(out.contains(&include_hidden.to_string()), "{out}");
    assert!(out.contains("fn with_cache"), "{out}");
    assert!(!out.contains("fn with_thread_id"), "required members get no setter: {out}");
    assert!(!out.contains("fn with_reason"), "required members get no setter: {out}");
}

#[test]
fn required_members_forbid_default() {
    let out = expanded(MIXED);
    assert!(!out.contains("impl :: core :: default :: Default for Mixed"), "{out}");
    assert!(out.contains("PayloadWithRequiredMembersMustNotImplementDefault"), "{out}");
}

#[test]
fn all_optional_members_give_default_and_an_argumentless_new() {
    let out = expanded(
        r#"
        #[serde(rename_all = "camelCase")]
        struct Page {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            cursor: Option<String>,
            limit: Option<u32>,
        }
        "#,
    );
    assert!(out.contains(&quote! { pub fn new() -> Self }.to_string()), "{out}");
    let default = quote! {
        impl ::core::default::Default for Page {
            fn default() -> Self {
                Self::new()
            }
        }
    };
    assert!(out.contains(&default.to_string()), "{out}");
    let shape = quote! {
        PayloadShape::Struct { required: &[] };
        fn default_value() -> ::core::option::Option<Self> {
            ::core::option::Option::Some(Self::new())
        }
    };
    assert!(out.contains(&shape.to_string()), "{out}");
    assert!(!out.contains("PayloadWithRequiredMembersMustNotImplementDefault"), "{out}");
}

#[test]
fn a_struct_without_members_is_empty_and_default() {
    let out = expanded("struct Empty {}");
    assert!(out.contains(&quote! { pub fn new() -> Self { Self {} } }.to_string()), "{out}");
    assert!(out.contains("impl :: core :: default :: Default for Empty"), "{out}");
    let doc = " A `Empty`: it has no members (`{}` on the wire).";
    assert!(out.contains(&quote! { #[doc = #doc] }.to_string()), "{out}");
}

#[test]
fn a_container_default_makes_every_member_optional() {
    let source = r#"
        #[serde(default)]
        struct Settings {
            name: String,
            #[serde(default = "seven")]
            count: u64,
            flag: Option<bool>,
        }
    "#;
    assert_eq!(shape(source), owned(&[("name", false), ("count", false), ("flag", false)]));
    let out = expanded(source);
    let body = quote! {
        Self {
            name: ::core::default::Default::default(),
            count: seven(),
            flag: ::core::option::Option::None
        }
    };
    assert!(out.contains(&body.to_string()), "{out}");
    assert!(out.contains("impl :: core :: default :: Default for Settings"), "{out}");
}

#[test]
fn flattened_members_follow_the_same_rule_under_their_rust_name() {
    let source = r#"
        #[serde(rename_all = "camelCase")]
        struct Outer {
            #[serde(flatten)]
            inner_part: Inner,
            #[serde(flatten)]
            extra_part: Option<Extra>,
        }
    "#;
    assert_eq!(shape(source), owned(&[("inner_part", true), ("extra_part", false)]));
}

#[test]
fn many_required_members_allow_a_long_new() {
    let fields: String = (0..8).map(|index| format!("f{index}: String, ")).collect();
    let out = expanded(&format!("struct Wide {{ {fields} }}"));
    assert!(out.contains("allow (clippy :: too_many_arguments)"), "{out}");
    let out = expanded("struct Narrow { a: String }");
    assert!(!out.contains("too_many_arguments"), "{out}");
}

#[test]
fn unsupported_shapes_are_errors() {
    assert!(error("enum Payload { A, B }").contains("structs with named fields only"));
    assert!(error("struct Tuple(String);").contains("structs with named fields only"));
    assert!(error("struct Unit;").contains("structs with named fields only"));
    assert!(error("struct Generic<T> { value: T }").contains("generics"));
    assert!(
        error(r#"#[serde(rename_all = "Title Case")] struct Bad { a: String }"#)
            .contains("unknown rename_all rule")
    );
    assert!(
        error(r#"#[serde(default = "make")] struct Bad { a: String }"#)
            .contains("container `default")
    );
}

#[test]
fn rename_rules_match_serde() {
    let cases = [
        ("lowercase", "model_provider"),
        ("snake_case", "model_provider"),
        ("UPPERCASE", "MODEL_PROVIDER"),
        ("SCREAMING_SNAKE_CASE", "MODEL_PROVIDER"),
        ("PascalCase", "ModelProvider"),
        ("camelCase", "modelProvider"),
        ("kebab-case", "model-provider"),
        ("SCREAMING-KEBAB-CASE", "MODEL-PROVIDER"),
    ];
    for (rule, expected) in cases {
        assert_eq!(rename(rule, "model_provider").as_deref(), Some(expected), "{rule}");
    }
    assert_eq!(rename("camelCase", "cwd").as_deref(), Some("cwd"));
    assert_eq!(rename("Title Case", "cwd"), None);
}
