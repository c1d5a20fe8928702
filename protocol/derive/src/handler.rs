//! The handler trait of one request table, one async method per request, named after the row
//! in snake_case (`ThreadStart` → `thread_start`), each answering -32601 unless implemented,
//! plus `dispatch`, which routes a received request to its method and types the answer.
//! `table_rows!` (`rows.rs`) writes it from the rows it parsed, so the trait never needs
//! editing by hand.

use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Token};

/// `krate; #[doc…] trait Name; incoming Incoming; answers Answers; markers module;`
pub struct HandlerInput {
    krate: TokenStream2,
    docs: Vec<Attribute>,
    name: Ident,
    incoming: Ident,
    answers: Ident,
    markers: Ident,
}

impl Parse for HandlerInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let krate = if input.peek(Token![crate]) {
            let token: Token![crate] = input.parse()?;
            quote!(#token)
        } else {
            let token: proc_macro2::TokenTree = input.parse()?;
            quote!(#token)
        };
        input.parse::<Token![;]>()?;
        let docs = input.call(Attribute::parse_outer)?;
        input.parse::<Token![trait]>()?;
        let name = input.parse()?;
        input.parse::<Token![;]>()?;
        let incoming = keyword_value(input, "incoming")?;
        let answers = keyword_value(input, "answers")?;
        let markers = keyword_value(input, "markers")?;
        Ok(HandlerInput { krate, docs, name, incoming, answers, markers })
    }
}

fn keyword_value(input: ParseStream<'_>, keyword: &str) -> syn::Result<Ident> {
    let word: Ident = input.parse()?;
    if word != keyword {
        return Err(syn::Error::new(word.span(), format!("expected `{keyword}`")));
    }
    let value = input.parse()?;
    input.parse::<Token![;]>()?;
    Ok(value)
}

/// `ThreadStart` → `thread_start`; `McpServerOauthLogin` → `mcp_server_oauth_login`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

pub fn expand(input: HandlerInput, rows: &[(Vec<Attribute>, Ident)]) -> TokenStream2 {
    let HandlerInput { krate, docs, name, incoming, answers, markers } = input;
    let methods = rows.iter().map(|(attrs, variant)| {
        let method = format_ident!("{}", snake_case(&variant.to_string()));
        let docs = attrs.iter().filter(|a| a.path().is_ident("doc"));
        quote! {
            #(#docs)*
            ///
            /// Not implemented, it answers -32601 (method not found).
            #[allow(unused_variables, deprecated)]
            fn #method(
                &self,
                params: <#markers::#variant as #krate::typed::Request>::Params,
                ctx: &Ctx,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<
                    <#markers::#variant as #krate::typed::Request>::Result,
                    #krate::JsonRpcError,
                >,
            > + Send {
                async {
                    Err(#krate::JsonRpcError::new(
                        #krate::ErrorCode::METHOD_NOT_FOUND,
                        ::std::format!(
                            "`{}` is not served here",
                            <#markers::#variant as #krate::typed::Request>::METHOD
                        ),
                    ))
                }
            }
        }
    });
    let arms = rows.iter().map(|(_, variant)| {
        let method = format_ident!("{}", snake_case(&variant.to_string()));
        quote! {
            #incoming::#variant { params, responder } => match self.#method(params, ctx).await {
                Ok(result) => Ok(responder.respond(result)),
                Err(error) => Err(responder.error(error)),
            },
        }
    });
    quote! {
        #(#docs)*
        pub trait #name<Ctx: ?Sized + Sync>: Sync {
            #(#methods)*

            /// Routes a received request to its method and answers it: the typed result, or
            /// the error response. Not meant to be overridden.
            #[allow(deprecated)]
            fn dispatch(
                &self,
                request: #incoming,
                ctx: &Ctx,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<#answers, #krate::ErrorResponse>,
            > + Send {
                async move {
                    match request {
                        #(#arms)*
                    }
                }
            }
        }
    }
}
