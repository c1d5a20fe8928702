//! `#[derive(DeserializeTagFirst)]`: see the crate docs and [`crate::derive_deserialize_tag_first`].
//!
//! How: the derive emits a private twin of the enum with the same variants, fields and serde
//! attributes but without `tag` (so serde derives an externally tagged `Deserialize` for it,
//! which never buffers), decodes the twin through `tagged_union::deserialize`, and moves the
//! twin's fields into the real enum. Attributes other than `serde` (docs, ts-rs, schemars) are
//! left off the twin.
//!
//! An open union (one whose unknown tags decode to a catch-all unit variant, as serde's
//! `#[serde(other)]` does) marks that variant `#[tag_first(other)]`: the twin gets
//! `#[serde(other)]` there, and the code generators, which read the real enum's `serde`
//! attributes, keep seeing a plain tagged union.

use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Fields, Meta, Token};

use crate::string_value;

pub(crate) fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "DeserializeTagFirst only derives for enums",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "DeserializeTagFirst does not support generics",
        ));
    }
    let name = &input.ident;
    let container = ContainerAttrs::parse(&input.attrs)?;
    let tag = container.tag.ok_or_else(|| {
        syn::Error::new_spanned(
            name,
            "DeserializeTagFirst needs `#[serde(tag = \"…\")]` (an internally tagged enum)",
        )
    })?;
    let serde_name = container.rename.unwrap_or_else(|| name.to_string());
    let expecting = format!("internally tagged enum {serde_name}");
    let twin = format_ident!("__{}TagFirst", name);
    let twin_attrs = container.kept;

    let mut twin_variants = Vec::new();
    let mut conversions = Vec::new();
    let mut open = false;
    let mut capture = false;
    for (index, variant) in data.variants.iter().enumerate() {
        let ident = &variant.ident;
        let mut attrs: Vec<TokenStream2> =
            serde_attrs(&variant.attrs).into_iter().map(|attr| quote! { #attr }).collect();
        if is_catch_all(&variant.attrs)? {
            if index + 1 != data.variants.len() {
                return Err(syn::Error::new_spanned(
                    ident,
                    "`#[tag_first(other)]` goes on the last variant",
                ));
            }
            open = true;
            match &variant.fields {
                Fields::Unit => attrs.push(quote! { #[serde(other)] }),
                // The catch-all that keeps what came: the twin's variant is a unit one (serde's
                // `other` is), and the object is handed over beside it, whole.
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let ty = &fields.unnamed[0].ty;
                    // Named so that no tag can name it: every unknown tag is kept, even one
                    // spelled like the variant.
                    twin_variants.push(quote! { #[serde(other, rename = "\u{0}other")] #ident });
                    conversions.push(quote! {
                        #twin::#ident => #name::#ident(<#ty as ::core::convert::From<
                            ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                        >>::from(captured.unwrap_or_default()))
                    });
                    capture = true;
                    continue;
                }
                _ => {
                    return Err(syn::Error::new_spanned(
                        ident,
                        "`#[tag_first(other)]` goes on a unit variant or on a newtype variant whose type is `From<serde_json::Map<String, Value>>`",
                    ));
                }
            }
        }
        match &variant.fields {
            Fields::Named(fields) => {
                let names: Vec<_> =
                    fields.named.iter().map(|f| f.ident.clone().expect("named field")).collect();
                let defs = fields.named.iter().map(|f| {
                    let (attrs, ident, ty) = (serde_attrs(&f.attrs), &f.ident, &f.ty);
                    quote! { #(#attrs)* #ident: #ty }
                });
                twin_variants.push(quote! { #(#attrs)* #ident { #(#defs),* } });
                conversions.push(
                    quote! { #twin::#ident { #(#names),* } => #name::#ident { #(#names),* } },
                );
            }
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                let field = &fields.unnamed[0];
                let (field_attrs, ty) = (serde_attrs(&field.attrs), &field.ty);
                twin_variants.push(quote! { #(#attrs)* #ident(#(#field_attrs)* #ty) });
                conversions.push(quote! { #twin::#ident(inner) => #name::#ident(inner) });
            }
            Fields::Unnamed(fields) => {
                return Err(syn::Error::new_spanned(
                    fields,
                    "an internally tagged enum cannot have tuple variants",
                ));
            }
            Fields::Unit => {
                twin_variants.push(quote! { #(#attrs)* #ident });
                conversions.push(quote! { #twin::#ident => #name::#ident });
            }
        }
    }

    let decode = if capture {
        quote! {
            let (twin, captured): (#twin, _) =
                crate::tagged_union::deserialize_capturing(deserializer, #tag, #expecting)?;
        }
    } else {
        quote! {
            let twin: #twin = crate::tagged_union::deserialize(deserializer, #tag, #expecting, #open)?;
        }
    };
    Ok(quote! {
        const _: () = {
            #[derive(::serde::Deserialize)]
            #[serde(rename = #serde_name)]
            #(#twin_attrs)*
            #[allow(non_camel_case_types)]
            enum #twin { #(#twin_variants,)* }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #decode
                    ::core::result::Result::Ok(match twin { #(#conversions,)* })
                }
            }
        };
    })
}

/// The container's `tag` and `rename`, and its serde attributes without them (for the twin).
struct ContainerAttrs {
    tag: Option<String>,
    rename: Option<String>,
    kept: Vec<TokenStream2>,
}

impl ContainerAttrs {
    fn parse(attrs: &[Attribute]) -> syn::Result<ContainerAttrs> {
        let mut parsed = ContainerAttrs { tag: None, rename: None, kept: Vec::new() };
        for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
            let metas = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)?;
            let mut kept = Vec::new();
            for meta in metas {
                match &meta {
                    Meta::NameValue(pair) if pair.path.is_ident("tag") => {
                        parsed.tag = Some(string_value(&pair.value)?)
                    }
                    Meta::NameValue(pair) if pair.path.is_ident("rename") => {
                        parsed.rename = Some(string_value(&pair.value)?)
                    }
                    Meta::NameValue(pair)
                        if pair.path.is_ident("content") || pair.path.is_ident("untagged") =>
                    {
                        return Err(syn::Error::new_spanned(
                            pair,
                            "DeserializeTagFirst is for internally tagged enums only",
                        ));
                    }
                    Meta::Path(path) if path.is_ident("untagged") => {
                        return Err(syn::Error::new_spanned(
                            path,
                            "DeserializeTagFirst is for internally tagged enums only",
                        ));
                    }
                    _ => kept.push(meta),
                }
            }
            if !kept.is_empty() {
                parsed.kept.push(quote! { #[serde(#(#kept),*)] });
            }
        }
        Ok(parsed)
    }
}

/// Whether the variant is marked `#[tag_first(other)]`, the catch-all of unknown tags.
fn is_catch_all(attrs: &[Attribute]) -> syn::Result<bool> {
    let mut catch_all = false;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("tag_first")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("other") {
                catch_all = true;
                Ok(())
            } else {
                Err(meta.error("the only `tag_first` attribute is `other`"))
            }
        })?;
    }
    Ok(catch_all)
}

/// The `#[serde(…)]` attributes among `attrs` (docs, ts-rs and schemars attributes are left out:
/// the twin only decodes).
fn serde_attrs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("serde")).collect()
}
