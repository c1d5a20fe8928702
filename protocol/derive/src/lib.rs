//! Derive macros of `app-server-protocol`. Crate-internal: the generated code calls into the
//! protocol crate through `crate::…` paths, so it only compiles inside `app-server-protocol`.
//!
//! - `#[derive(DeserializeTagFirst)]` replaces serde's `Deserialize` derive on an internally
//!   tagged enum (`#[serde(tag = "…")]`). serde's derive buffers every object into an
//!   intermediate tree before it can pick the variant (the tag may come last); this derive reads
//!   the tag first when it is the first member, as every encoder of this protocol writes it, and
//!   then decodes the variant's fields straight from the input. See `tagged_union.rs` in the
//!   protocol crate for the runtime half and for what happens when the tag is not first.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::{DeriveInput, Expr, Lit, parse_macro_input};

mod tag_first;

/// Derives `serde::Deserialize` for an internally tagged enum, reading the tag first.
///
/// The enum takes the usual serde attributes; exactly one container attribute names the tag
/// (`#[serde(tag = "type")]`). Unit, newtype and struct variants are supported, as with serde.
#[proc_macro_derive(DeserializeTagFirst, attributes(serde))]
pub fn derive_deserialize_tag_first(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    tag_first::expand(&input).unwrap_or_else(|err| err.to_compile_error()).into()
}

/// The text of a string literal expression (an attribute value such as `rename = "x"`).
fn string_value(value: &Expr) -> syn::Result<String> {
    match value {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(text) => Ok(text.value()),
            other => Err(syn::Error::new_spanned(other, "expected a string literal")),
        },
        other => Err(syn::Error::new(
            Span::call_site(),
            format!("expected a string literal, found `{}`", quote!(#other)),
        )),
    }
}
