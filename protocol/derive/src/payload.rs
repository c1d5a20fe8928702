//! `#[derive(Payload)]`: the constructors of a params or result struct. What it generates is
//! described on [`crate::derive_payload`]; this module reads the serde attributes that decide
//! which members are required and how each is spelled on the wire.

use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Data, DeriveInput, Expr, ExprPath, Field, Fields, GenericArgument, Ident, Lit, Meta,
    PathArguments, Token, Type,
};

use crate::string_value;

pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let name = &input.ident;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            name,
            "Payload derives for structs with named fields only (an enum payload is built by \
             its variants)",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &data.fields,
            "Payload derives for structs with named fields only (`struct X {}` for no members)",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "Payload does not support generics"));
    }
    let container = Container::parse(&input.attrs)?;
    let members = fields
        .named
        .iter()
        .map(|field| Member::parse(field, &container))
        .collect::<syn::Result<Vec<_>>>()?;
    let required: Vec<&Member> = members.iter().filter(|member| member.required).collect();

    let params = required.iter().map(|member| {
        let (ident, ty) = (&member.ident, member.ty);
        if is_scalar(ty) {
            quote! { #ident: #ty }
        } else {
            quote! { #ident: impl ::core::convert::Into<#ty> }
        }
    });
    let inits = members.iter().map(|member| {
        let ident = &member.ident;
        let value = if member.required {
            if is_scalar(member.ty) {
                quote! { #ident }
            } else {
                quote! { #ident.into() }
            }
        } else {
            match &member.default {
                Some(DefaultValue::Path(path)) => quote! { #path() },
                _ if member.option_inner.is_some() => quote! { ::core::option::Option::None },
                _ => quote! { ::core::default::Default::default() },
            }
        };
        quote! { #ident: #value }
    });
    let new_docs = new_docs(&name.to_string(), &members);
    let too_many = (required.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let setters = members.iter().filter(|member| !member.required).map(setter);

    let wire_names = required.iter().map(|member| member.wire.as_str());
    let has_default = required.is_empty();
    let default_value = if has_default {
        quote! { ::core::option::Option::Some(Self::new()) }
    } else {
        quote! { ::core::option::Option::None }
    };
    let default_or_check = if has_default {
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        // `Default` would invent the required members: refuse a hand-written one. The call
        // below is ambiguous (a compile error naming the trait) exactly when `#name: Default`.
        quote! {
            const _: fn() = || {
                trait PayloadWithRequiredMembersMustNotImplementDefault<A> {
                    fn check() {}
                }
                impl<T: ?Sized> PayloadWithRequiredMembersMustNotImplementDefault<()> for T {}
                #[allow(dead_code)]
                struct ImplementsDefault;
                impl<T: ?Sized + ::core::default::Default>
                    PayloadWithRequiredMembersMustNotImplementDefault<ImplementsDefault> for T {}
                let _ = <#name as PayloadWithRequiredMembersMustNotImplementDefault<_>>::check;
            };
        }
    };

    Ok(quote! {
        impl #name {
            #(#[doc = #new_docs])*
            #too_many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*
        }

        #default_or_check

        impl crate::row::Payload for #name {
            const SHAPE: crate::row::PayloadShape =
                crate::row::PayloadShape::Struct { required: &[#(#wire_names),*] };

            fn default_value() -> ::core::option::Option<Self> {
                #default_value
            }
        }
    })
}

/// The doc comment of `new`, one string per line.
fn new_docs(name: &str, members: &[Member]) -> Vec<String> {
    let required: Vec<&Member> = members.iter().filter(|member| member.required).collect();
    let mut docs = Vec::new();
    if members.is_empty() {
        docs.push(format!(" A `{name}`: it has no members (`{{}}` on the wire)."));
    } else if required.is_empty() {
        docs.push(format!(
            " A `{name}` with every member absent (`None`) or at its default, the same value \
             as `Default::default()`: every member is optional. Set them with the `with_*` \
             methods."
        ));
    } else {
        docs.push(format!(
            " A `{name}` from its required members (below, in wire spelling), in declaration \
             order."
        ));
        if required.len() < members.len() {
            docs.push(
                " The optional members start absent (`None`) or at their default; set them with \
                 the `with_*` methods."
                    .to_owned(),
            );
        }
        docs.push(String::new());
        for member in &required {
            let summary = member.summary();
            let separator = if summary.is_empty() { "" } else { ": " };
            docs.push(format!(" - `{}`{separator}{summary}", member.wire));
        }
    }
    docs
}

/// The `with_<member>` setter of an optional member.
fn setter(member: &Member) -> TokenStream2 {
    let ident = &member.ident;
    let setter = format_ident!("with_{}", ident.to_string().trim_start_matches("r#"));
    let mut docs = Vec::new();
    let mut own = member.docs.iter();
    match own.next() {
        Some(first) => docs.push(format!(" Sets `{}`: {}", member.wire, first.trim_start())),
        None => docs.push(format!(" Sets `{}`.", member.wire)),
    }
    docs.extend(own.cloned());
    let (value_ty, stored) = match member.option_inner {
        Some(inner) if is_scalar(inner) => {
            (quote! { #inner }, quote! { ::core::option::Option::Some(value) })
        }
        Some(inner) => (
            quote! { impl ::core::convert::Into<#inner> },
            quote! { ::core::option::Option::Some(value.into()) },
        ),
        None => {
            let ty = member.ty;
            if is_scalar(ty) {
                (quote! { #ty }, quote! { value })
            } else {
                (quote! { impl ::core::convert::Into<#ty> }, quote! { value.into() })
            }
        }
    };
    quote! {
        #(#[doc = #docs])*
        #[must_use]
        pub fn #setter(mut self, value: #value_ty) -> Self {
            self.#ident = #stored;
            self
        }
    }
}

/// The container attributes that matter here: `rename_all` and `default`.
struct Container {
    rename_all: Option<String>,
    default: bool,
}

impl Container {
    fn parse(attrs: &[Attribute]) -> syn::Result<Container> {
        let mut container = Container { rename_all: None, default: false };
        for meta in serde_metas(attrs)? {
            match &meta {
                Meta::NameValue(pair) if pair.path.is_ident("rename_all") => {
                    let rule = string_value(&pair.value)?;
                    if rename(&rule, "a_b").is_none() {
                        return Err(syn::Error::new_spanned(pair, "unknown rename_all rule"));
                    }
                    container.rename_all = Some(rule);
                }
                Meta::List(list) if list.path.is_ident("rename_all") => {
                    if let Some(rule) = deserialize_name(list)? {
                        if rename(&rule, "a_b").is_none() {
                            return Err(syn::Error::new_spanned(list, "unknown rename_all rule"));
                        }
                        container.rename_all = Some(rule);
                    }
                }
                Meta::Path(path) if path.is_ident("default") => container.default = true,
                Meta::NameValue(pair) if pair.path.is_ident("default") => {
                    return Err(syn::Error::new_spanned(
                        pair,
                        "Payload does not support a container `default = \"…\"`; put the \
                         defaults on the members",
                    ));
                }
                _ => {}
            }
        }
        Ok(container)
    }
}

/// Where an optional member's initial value comes from, when it has a serde default.
enum DefaultValue {
    /// `#[serde(default)]`, `skip`/`skip_deserializing`, or the container's `default`.
    Trait,
    /// `#[serde(default = "path")]`.
    Path(ExprPath),
}

/// One member of the struct, as the decoder sees it.
struct Member<'a> {
    ident: Ident,
    ty: &'a Type,
    /// The `T` of an `Option<T>` member.
    option_inner: Option<&'a Type>,
    /// The member's name on the wire (the Rust name of a flattened member).
    wire: String,
    /// The member's doc comment, one string per line.
    docs: Vec<String>,
    default: Option<DefaultValue>,
    required: bool,
}

impl<'a> Member<'a> {
    fn parse(field: &'a Field, container: &Container) -> syn::Result<Member<'a>> {
        let ident = field.ident.clone().expect("named field");
        let bare = ident.to_string().trim_start_matches("r#").to_owned();
        let mut wire = None;
        let mut default = None;
        let mut custom_deserialize = false;
        let mut flatten = false;
        for meta in serde_metas(&field.attrs)? {
            match &meta {
                Meta::NameValue(pair) if pair.path.is_ident("rename") => {
                    wire = Some(string_value(&pair.value)?);
                }
                Meta::List(list) if list.path.is_ident("rename") => {
                    if let Some(name) = deserialize_name(list)? {
                        wire = Some(name);
                    }
                }
                Meta::Path(path) if path.is_ident("default") => default = Some(DefaultValue::Trait),
                Meta::NameValue(pair) if pair.path.is_ident("default") => {
                    let Expr::Lit(lit) = &pair.value else {
                        return Err(syn::Error::new_spanned(pair, "expected a string literal"));
                    };
                    let Lit::Str(path) = &lit.lit else {
                        return Err(syn::Error::new_spanned(lit, "expected a string literal"));
                    };
                    default = Some(DefaultValue::Path(path.parse()?));
                }
                Meta::Path(path)
                    if path.is_ident("skip") || path.is_ident("skip_deserializing") =>
                {
                    default.get_or_insert(DefaultValue::Trait);
                }
                Meta::Path(path) if path.is_ident("flatten") => flatten = true,
                Meta::NameValue(pair)
                    if pair.path.is_ident("deserialize_with") || pair.path.is_ident("with") =>
                {
                    custom_deserialize = true;
                }
                _ => {}
            }
        }
        if default.is_none() && container.default {
            default = Some(DefaultValue::Trait);
        }
        let option_inner = option_inner(&field.ty);
        // serde reads a missing `Option` member as `None`, unless a custom deserializer reads it.
        let required = default.is_none() && (option_inner.is_none() || custom_deserialize);
        let wire = match (wire, &container.rename_all) {
            (Some(wire), _) => wire,
            (None, _) if flatten => bare,
            (None, Some(rule)) => rename(rule, &bare).expect("rule checked"),
            (None, None) => bare,
        };
        Ok(Member {
            ident,
            ty: &field.ty,
            option_inner: if required { None } else { option_inner },
            wire,
            docs: doc_lines(&field.attrs),
            default,
            required,
        })
    }

    /// The first paragraph of the member's docs, on one line.
    fn summary(&self) -> String {
        let paragraph: Vec<&str> =
            self.docs.iter().map(|line| line.trim()).take_while(|line| !line.is_empty()).collect();
        paragraph.join(" ")
    }
}

/// Every item of every `#[serde(…)]` attribute among `attrs`.
fn serde_metas(attrs: &[Attribute]) -> syn::Result<Vec<Meta>> {
    let mut metas = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        metas.extend(attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)?);
    }
    Ok(metas)
}

/// The `deserialize = "…"` of `rename(serialize = "…", deserialize = "…")`.
fn deserialize_name(list: &syn::MetaList) -> syn::Result<Option<String>> {
    let items = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)?;
    for item in items {
        if let Meta::NameValue(pair) = &item
            && pair.path.is_ident("deserialize")
        {
            return string_value(&pair.value).map(Some);
        }
    }
    Ok(None)
}

/// The `#[doc = "…"]` strings among `attrs`, one per line.
fn doc_lines(attrs: &[Attribute]) -> Vec<String> {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
        if let Meta::NameValue(pair) = &attr.meta
            && let Ok(text) = string_value(&pair.value)
        {
            lines.extend(text.split('\n').map(str::to_owned));
        }
    }
    lines
}

/// The `T` of `Option<T>` (also spelled `std::option::Option<T>` or `core::option::Option<T>`).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<String> =
        path.path.segments.iter().map(|segment| segment.ident.to_string()).collect();
    let is_option = match segments.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["Option"] => true,
        [root, "option", "Option"] => *root == "std" || *root == "core",
        _ => false,
    };
    if !is_option {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// Numbers, `bool` and `char`: taken by value, because an integer literal passed to
/// `impl Into<u32>` would be inferred as `i32`, which does not convert.
fn is_scalar(ty: &Type) -> bool {
    const SCALARS: &[&str] = &[
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        "f32", "f64", "bool", "char",
    ];
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            path.path.get_ident().is_some_and(|ident| SCALARS.contains(&&*ident.to_string()))
        }
        _ => false,
    }
}

/// A snake_case member name under a serde `rename_all` rule, or `None` for an unknown rule.
fn rename(rule: &str, field: &str) -> Option<String> {
    let pascal = || {
        let mut out = String::new();
        let mut capitalize = true;
        for ch in field.chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                out.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                out.push(ch);
            }
        }
        out
    };
    Some(match rule {
        "lowercase" | "snake_case" => field.to_owned(),
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            match chars.next() {
                Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.to_ascii_uppercase().replace('_', "-"),
        _ => return None,
    })
}

#[cfg(test)]
#[path = "payload_tests.rs"]
mod tests;
