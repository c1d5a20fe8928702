//! Derive macros of `app-server-protocol`. Crate-internal: the generated code calls into the
//! protocol crate through `crate::…` paths, so it only compiles inside `app-server-protocol`.
//!
//! - `#[derive(DeserializeTagFirst)]` replaces serde's `Deserialize` derive on an internally
//!   tagged enum (`#[serde(tag = "…")]`). serde's derive buffers every object into an
//!   intermediate tree before it can pick the variant (the tag may come last); this derive reads
//!   the tag first when it is the first member, as every encoder of this protocol writes it, and
//!   then decodes the variant's fields straight from the input. See `tagged_union.rs` in the
//!   protocol crate for the runtime half and for what happens when the tag is not first.
//! - `#[derive(Payload)]` gives a params or result struct of the method table its constructor
//!   `new(required…)`, a `with_<member>` setter per optional member and, exactly when no member
//!   is required, `Default`. The structs are `#[non_exhaustive]`, so these are how code outside
//!   the crate builds them, and a member added later does not break it.
//! - `table_rows!` is the one parser of the method table's rows (the table macros hand it their
//!   rows): it checks them and gives them back in one fixed shape for the templates to expand,
//!   and writes a request table's handler trait (one async method per request, -32601 by
//!   default, and `dispatch`).
//!
//! An open union (one whose unknown tags decode to a catch-all unit variant, as serde's
//! `#[serde(other)]` does) marks that variant `#[tag_first(other)]`.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::{DeriveInput, Expr, Lit, parse_macro_input};

mod handler;
mod payload;
mod rows;
mod tag_first;

/// Derives `serde::Deserialize` for an internally tagged enum, reading the tag first.
///
/// The enum takes the usual serde attributes; exactly one container attribute names the tag
/// (`#[serde(tag = "type")]`). Unit, newtype and struct variants are supported, as with serde.
/// `#[tag_first(other)]` on the last variant makes it the catch-all of unknown tags: on a unit
/// variant the other members are ignored; on a newtype variant whose type is
/// `From<serde_json::Map<String, Value>>` the whole object (tag included) is kept in it, so that
/// a newer peer's variant survives decoding (serialize it back with `#[serde(untagged)]`).
#[proc_macro_derive(DeserializeTagFirst, attributes(serde, tag_first))]
pub fn derive_deserialize_tag_first(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    tag_first::expand(&input).unwrap_or_else(|err| err.to_compile_error()).into()
}

/// The rows of one table of the method table, parsed once: checked, handed back to the
/// template macro named first in one fixed shape, and (for a request table) its handler trait.
#[proc_macro]
pub fn table_rows(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as rows::TableRows);
    rows::expand(input).into()
}

/// Derives the constructors of a payload struct (a params or result type of the method table).
///
/// A member is **required** when the decoder rejects an object without it, read from the same
/// serde attributes the decoder's derive reads: its type is not `Option<…>` and it has no
/// `#[serde(default)]`, `#[serde(default = "path")]`, `skip` or `skip_deserializing` (an
/// `Option` member with `deserialize_with`/`with` and no default is required too, as serde
/// has it); a container `#[serde(default)]` makes every member optional. The wire name of a
/// member follows `rename` and the container's `rename_all`. The derive generates:
///
/// - `pub fn new(required members, in declaration order) -> Self`. Each argument is
///   `impl Into<T>` (so `ThreadArchiveParams::new("thr_1")` takes a `&str` for a `String`),
///   except for numbers, `bool` and `char`, taken as `T` (an integer literal would not infer
///   through `Into`). Optional members start absent (`None`) or at their serde default
///   (`Default::default()`, or the named function). Its doc comment lists the required
///   members with the first paragraph of their docs.
/// - `pub fn with_<member>(self, value) -> Self` for every optional member; for an `Option<T>`
///   member it takes the `T` (as above) and stores `Some`. Its doc comment is the member's own,
///   prefixed by "Sets `wireName`:".
/// - `impl Default` (the same value as `new()`) exactly when no member is required. A struct
///   with required members must not implement `Default` itself: the derive makes that a
///   compile error (`PayloadWithRequiredMembersMustNotImplementDefault`), since the default
///   would invent values the wire never had.
/// - `impl crate::row::Payload`, what the tests check against the decoder: the wire
///   names of the required members, and `default_value()`, `Some(Default::default())` exactly
///   when `Default` exists.
///
/// Structs with named fields (or none) only, without generics. Field-level `#[serde(flatten)]`
/// follows the same rule (required unless `Option` or defaulted); its name in the shape is the
/// Rust member name.
#[proc_macro_derive(Payload, attributes(serde))]
pub fn derive_payload(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    payload::expand(&input).unwrap_or_else(|err| err.to_compile_error()).into()
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
