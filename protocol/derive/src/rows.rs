//! `table_rows!`: the one parser of the method table's rows. The table macros
//! (`request_table!`, `notification_table!`) hand it the rows as written; it checks them — keys
//! known, in order, each at most once, `result:` exactly in request tables, `family:` only in
//! notification tables, `example:` present on every v2 request a client sends with params — and
//! hands them back to a template macro in one fixed shape, every key present (`[]` when left
//! out); for a request table it also writes the handler trait (`handler.rs`). The templates
//! then only expand; nothing else reads a row.

use proc_macro2::{Span, TokenStream as TokenStream2, TokenTree};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token, Type};

use crate::handler::HandlerInput;

/// `callback! [pass-through tokens] direction: X, kind: request|notification,
/// (handler: { <the handler trait's header> },)? rows: { … }`
pub struct TableRows {
    callback: Ident,
    pass: TokenStream2,
    handler: Option<HandlerInput>,
    rows: Vec<Row>,
}

/// One row, as written.
struct Row {
    docs: Vec<Attribute>,
    variant: Ident,
    wire: LitStr,
    params: Option<Type>,
    result: Option<Type>,
    api: Ident,
    stability: Option<Ident>,
    aliases: Vec<LitStr>,
    deprecated: Option<LitStr>,
    example: Option<TokenTree>,
    errors: Option<TokenStream2>,
    family: Option<LitStr>,
}

/// The row keys in the order a row writes them.
const KEYS: &[&str] = &[
    "params",
    "result",
    "api",
    "stability",
    "aliases",
    "deprecated",
    "example",
    "errors",
    "family",
];

impl Parse for TableRows {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let callback: Ident = input.parse()?;
        input.parse::<Token![!]>()?;
        let pass_group: proc_macro2::Group = input.parse()?;
        word(input, "direction")?;
        input.parse::<Token![:]>()?;
        let direction: Ident = input.parse()?;
        input.parse::<Token![,]>()?;
        word(input, "kind")?;
        input.parse::<Token![:]>()?;
        let kind: Ident = input.parse()?;
        input.parse::<Token![,]>()?;
        let handler = if input.peek(Ident) && input.fork().parse::<Ident>()? == "handler" {
            word(input, "handler")?;
            input.parse::<Token![:]>()?;
            let header;
            syn::braced!(header in input);
            let handler: HandlerInput = header.parse()?;
            input.parse::<Token![,]>()?;
            Some(handler)
        } else {
            None
        };
        word(input, "rows")?;
        input.parse::<Token![:]>()?;
        let content;
        syn::braced!(content in input);
        let requests = kind == "request";
        let mut rows = Vec::new();
        while !content.is_empty() {
            rows.push(parse_row(&content, requests)?);
        }
        for row in &rows {
            check_row(row, requests, &direction)?;
        }
        Ok(TableRows { callback, pass: pass_group.stream(), handler, rows })
    }
}

fn word(input: ParseStream<'_>, expected: &str) -> syn::Result<()> {
    let found: Ident = input.parse()?;
    if found != expected {
        return Err(syn::Error::new(found.span(), format!("expected `{expected}`")));
    }
    Ok(())
}

fn parse_row(input: ParseStream<'_>, requests: bool) -> syn::Result<Row> {
    let docs = input.call(Attribute::parse_outer)?;
    let variant: Ident = input.parse()?;
    input.parse::<Token![=>]>()?;
    let wire: LitStr = input.parse()?;
    let body;
    syn::braced!(body in input);
    let mut row = Row {
        docs,
        variant,
        wire,
        params: None,
        result: None,
        api: Ident::new("Missing", Span::call_site()),
        stability: None,
        aliases: Vec::new(),
        deprecated: None,
        example: None,
        errors: None,
        family: None,
    };
    let mut last = None;
    let mut has_api = false;
    while !body.is_empty() {
        let key: Ident = body.parse()?;
        let name = key.to_string();
        let Some(position) = KEYS.iter().position(|k| *k == name) else {
            return Err(syn::Error::new(
                key.span(),
                format!("`{name}` is not a key of a row; the keys, in order: {}", KEYS.join(", ")),
            ));
        };
        if last.is_some_and(|last| position <= last) {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "`{name}` is out of place or repeated; the keys, in order: {}",
                    KEYS.join(", ")
                ),
            ));
        }
        last = Some(position);
        body.parse::<Token![:]>()?;
        match name.as_str() {
            "params" => row.params = Some(body.parse()?),
            "result" if requests => row.result = Some(body.parse()?),
            "result" => return Err(syn::Error::new(key.span(), "a notification has no `result`")),
            "api" => {
                row.api = body.parse()?;
                has_api = true;
            }
            "stability" => row.stability = Some(body.parse()?),
            "aliases" => {
                let list;
                syn::bracketed!(list in body);
                row.aliases = list
                    .parse_terminated(|p| p.parse::<LitStr>(), Token![,])?
                    .into_iter()
                    .collect();
            }
            "deprecated" => row.deprecated = Some(body.parse()?),
            "example" => row.example = Some(body.parse()?),
            "errors" => row.errors = Some(tokens_to_comma(&body)?),
            "family" if !requests => row.family = Some(body.parse()?),
            _ => return Err(syn::Error::new(key.span(), "a request is never a method family")),
        }
        body.parse::<Token![,]>()?;
    }
    if !has_api {
        return Err(syn::Error::new(
            row.wire.span(),
            format!("`{}`: a row needs `api:`", row.wire.value()),
        ));
    }
    Ok(row)
}

/// The tokens up to the next `,` at this level (an expression, left to the template to read
/// as one: the crate builds syn without its full expression grammar).
fn tokens_to_comma(input: ParseStream<'_>) -> syn::Result<TokenStream2> {
    let mut tokens = TokenStream2::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    if tokens.is_empty() {
        return Err(input.error("expected an expression"));
    }
    Ok(tokens)
}

/// What a row must have beyond its grammar.
fn check_row(row: &Row, requests: bool, direction: &Ident) -> syn::Result<()> {
    let wire = row.wire.value();
    if requests && row.result.is_none() {
        return Err(syn::Error::new(
            row.wire.span(),
            format!("`{wire}`: a request row needs `result:`"),
        ));
    }
    let client_v2_request = requests && direction == "ClientToServer" && row.api == "V2";
    if client_v2_request && row.params.is_some() && row.example.is_none() {
        return Err(syn::Error::new(
            row.wire.span(),
            format!(
                "`{wire}`: a v2 request a client sends with params needs `example:` params in its row (what the conformance kit sends and documents show)"
            ),
        ));
    }
    if let Some(example) = &row.example
        && !matches!(example, TokenTree::Group(group) if group.delimiter() == proc_macro2::Delimiter::Brace)
    {
        return Err(syn::Error::new(example.span(), "`example:` is a JSON object: `{ … }`"));
    }
    Ok(())
}

pub fn expand(input: TableRows) -> TokenStream2 {
    let TableRows { callback, pass, handler, rows } = input;
    let handler = handler.map(|handler| {
        let methods: Vec<(Vec<Attribute>, Ident)> =
            rows.iter().map(|row| (row.docs.clone(), row.variant.clone())).collect();
        crate::handler::expand(handler, &methods)
    });
    let rows = rows.iter().map(|row| {
        let Row {
            docs,
            variant,
            wire,
            params,
            result,
            api,
            stability,
            aliases,
            deprecated,
            example,
            errors,
            family,
        } = row;
        let docs = docs.iter().filter(|a| a.path().is_ident("doc"));
        let params = params.iter();
        let result = result.iter();
        let stability = stability.iter();
        let deprecated = deprecated.iter();
        let example = example.iter();
        let errors = errors.iter();
        let family = family.iter();
        quote! {
            #(#docs)*
            #variant => #wire {
                params: [#(#params)*],
                result: [#(#result)*],
                api: #api,
                stability: [#(#stability)*],
                aliases: [#(#aliases),*],
                deprecated: [#(#deprecated)*],
                example: [#(#example)*],
                errors: [#(#errors)*],
                family: [#(#family)*],
            }
        }
    });
    quote! {
        #callback! {
            #pass
            rows: [#(#rows)*]
        }
        #handler
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(rows: TokenStream2) -> Result<TableRows, String> {
        let input = quote! {
            template! [pass]
            direction: ClientToServer,
            kind: request,
            rows: { #rows }
        };
        syn::parse2::<TableRows>(input).map_err(|error| error.to_string())
    }

    #[test]
    fn a_v2_client_request_with_params_and_no_example_is_an_error_naming_it() {
        let error = parse(quote! {
            /// Renames a thread.
            ThreadRename => "thread/rename" {
                params: v2::ThreadRenameParams,
                result: v2::ThreadRenameResponse,
                api: V2,
            }
        })
        .err()
        .expect("refused");
        assert!(error.contains("`thread/rename`") && error.contains("example:"), "{error}");
    }

    #[test]
    fn keys_are_known_in_order_and_once() {
        let unknown = parse(quote! {
            A => "a" { result: R, api: V1, exmaple: {}, }
        });
        assert!(unknown.err().unwrap().contains("`exmaple` is not a key of a row"));
        let late = parse(quote! {
            A => "a" { result: R, api: V1, deprecated: "x", aliases: ["b"], }
        });
        assert!(late.err().unwrap().contains("`aliases` is out of place or repeated"));
        let no_result = parse(quote! { A => "a" { api: V1, } });
        assert!(no_result.err().unwrap().contains("`a`: a request row needs `result:`"));
    }

    #[test]
    fn a_row_comes_back_with_every_key() {
        let parsed = parse(quote! {
            /// Lists.
            ThreadList => "thread/list" {
                params: v2::P,
                result: v2::R,
                api: V2,
                example: { "limit": 5 },
                errors: page_errors!("limit"),
            }
        })
        .unwrap();
        let expanded = expand(parsed).to_string();
        for key in ["stability : []", "aliases : []", "deprecated : []", "family : []"] {
            assert!(expanded.contains(key), "{key} in {expanded}");
        }
        assert!(expanded.contains("errors : [page_errors ! (\"limit\")]"), "{expanded}");
    }
}
