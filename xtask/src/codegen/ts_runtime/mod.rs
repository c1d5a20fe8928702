//! Render: the runtime of the TypeScript package (`generated/typescript/`): ESM JavaScript with
//! its `.d.ts` declarations beside the type declarations, and the package's `package.json` and
//! README.
//!
//! ```text
//! runtime/constants.js  method-name constants per direction (full and v2-only), from the table
//! runtime/guards.js     message guards and a validating guard per tagged union (root types)
//! v2/runtime.js         the validating guards of the v2 tagged unions
//! runtime/tables.js     per direction: wire name (and alias) → canonical name, payload schemas
//! runtime/schema.js     the decode contract as one JSON Schema bundle, references, union
//!                       variants, discriminators and lexical marks resolved by codegen
//! runtime/validate.js   the checker that walks it (no code generated at run time)
//! runtime/decode.js     the decoders and the pending-request table (the same text every run)
//! runtime/lexical.js    what JSON.parse hides (number spelling, escapes, duplicates, depth)
//! runtime/client.js     the Client over any transport; websocket.js, messages.js its WebSocket one
//! node/index.js         the Node transports (JSON Lines over streams, a child process)
//! ```
//!
//! The hand-written JavaScript (with its `.d.ts`), the README and the LICENSE live in
//! `runtimes/typescript/` at the repository root and are copied in verbatim: the package has
//! no dependency, generates no code at run time (it runs under a Content-Security-Policy
//! without `unsafe-eval`), and no node is needed to generate it. The schema is the one the
//! fixture checks hold against the Rust decoder.

mod constants;
mod fill;
mod guards;
mod tables;

use std::path::PathBuf;

use super::collect::Surface;
use super::{GENERATED_HEADER, OutputFiles};

/// The hand-written runtime: (path in the package, text), copied in with the generated header.
const HAND_WRITTEN: [(&str, &str); 12] = [
    ("runtime/decode.js", include_str!("../../../../runtimes/typescript/decode.js")),
    ("runtime/decode.d.ts", include_str!("../../../../runtimes/typescript/decode.d.ts")),
    ("runtime/lexical.js", include_str!("../../../../runtimes/typescript/lexical.js")),
    ("runtime/validate.js", include_str!("../../../../runtimes/typescript/validate.js")),
    ("runtime/schema.d.ts", include_str!("../../../../runtimes/typescript/schema.d.ts")),
    ("runtime/client.js", include_str!("../../../../runtimes/typescript/client.js")),
    ("runtime/client.d.ts", include_str!("../../../../runtimes/typescript/client.d.ts")),
    ("runtime/messages.js", include_str!("../../../../runtimes/typescript/messages.js")),
    ("runtime/websocket.js", include_str!("../../../../runtimes/typescript/websocket.js")),
    ("runtime/websocket.d.ts", include_str!("../../../../runtimes/typescript/websocket.d.ts")),
    ("node/index.js", include_str!("../../../../runtimes/typescript/node/index.js")),
    ("node/index.d.ts", include_str!("../../../../runtimes/typescript/node/index.d.ts")),
];
/// The package's README.
const README: &str = include_str!("../../../../runtimes/typescript/README.md");
/// The package's LICENSE (the workspace's, Apache-2.0).
const LICENSE: &str = include_str!("../../../../runtimes/typescript/LICENSE");
/// Where the package's sources live (`repository` of package.json).
const REPOSITORY: &str = "git+https://github.com/app-server/app-server-protocol.git";

/// Renders the runtime, `package.json` and README into `files`, under `typescript/`.
/// `subfolders` are the declaration folders below the root (`v2`, …), each an entry point.
pub fn render(surface: &Surface, subfolders: &[String], files: &mut OutputFiles) {
    let mut put = |path: &str, text: String| {
        files.insert(PathBuf::from("typescript").join(path), text);
    };
    put("package.json", package_json(subfolders));
    put("README.md", README.to_owned());
    put("LICENSE", LICENSE.to_owned());
    put("index.js", root_index_js(subfolders));
    put("runtime/index.js", runtime_index());
    put("runtime/index.d.ts", runtime_index());
    for (path, text) in HAND_WRITTEN {
        put(path, format!("{GENERATED_HEADER}{text}"));
    }
    let (js, dts) = constants::render(&surface.methods);
    put("runtime/constants.js", js);
    put("runtime/constants.d.ts", dts);
    let bundle = tables::bundle(surface);
    let unions = guards::tagged_unions(&bundle, surface);
    let (js, dts) = guards::render_messages(&unions, &surface.methods, "");
    put("runtime/guards.js", js);
    put("runtime/guards.d.ts", dts);
    for sub in subfolders {
        let (js, dts) = guards::render_folder(&unions, sub);
        put(&format!("{sub}/runtime.js"), js);
        put(&format!("{sub}/runtime.d.ts"), dts);
        put(
            &format!("{sub}/index.js"),
            format!("{GENERATED_HEADER}export * from \"./runtime.js\";\n"),
        );
    }
    put("runtime/tables.js", tables::tables_js(surface));
    put("runtime/schema.js", tables::schema_js(&bundle));
}

/// `index.js` of the package root: the runtime, and each sub-folder as a namespace (as
/// `index.d.ts` declares them).
fn root_index_js(subfolders: &[String]) -> String {
    let mut out = format!("{GENERATED_HEADER}export * from \"./runtime/index.js\";\n");
    for sub in subfolders {
        out.push_str(&format!(
            "export * as {} from \"./{sub}/index.js\";\n",
            sub.replace('/', "_")
        ));
    }
    out
}

/// `runtime/index.js` (and its declarations, the same text): every runtime module of the root.
fn runtime_index() -> String {
    let mut out = String::from(GENERATED_HEADER);
    for module in ["constants", "guards", "decode", "client", "websocket"] {
        out.push_str(&format!("export * from \"./{module}.js\";\n"));
    }
    out
}

/// `package.json`: ESM, `exports` with `types` (first: conditions are matched in order) and
/// `import` for the root and every sub-folder, no side effects, the crate's version, no
/// dependency. Written by hand: the order of the members matters to resolvers, and the
/// JSON maps of this crate sort their keys.
fn package_json(subfolders: &[String]) -> String {
    let quote = |text: &str| serde_json::to_string(text).expect("a string serializes");
    let entry = |key: &str, dir: &str| {
        format!(
            "    {}: {{\n      \"types\": {},\n      \"import\": {}\n    }}",
            quote(key),
            quote(&format!("./{dir}index.d.ts")),
            quote(&format!("./{dir}index.js"))
        )
    };
    let mut exports = vec![entry(".", "")];
    exports.extend(subfolders.iter().map(|sub| entry(&format!("./{sub}"), &format!("{sub}/"))));
    // The Node transports: an entry point of its own, so that the browser path imports no `node:` module.
    exports.push(entry("./node", "node/"));
    exports.push("    \"./package.json\": \"./package.json\"".to_owned());
    let description = "The app-server protocol for TypeScript: the wire types, method-name constants, type guards, validating decoders and a typed client. Generated by `cargo xtask codegen`; do not edit.";
    format!(
        r#"{{
  "name": "@app-server/protocol",
  "version": {version},
  "description": {description},
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": false,
  "types": "./index.d.ts",
  "exports": {{
{exports}
  }},
  "repository": {{
    "type": "git",
    "url": {repository},
    "directory": "generated/typescript"
  }},
  "files": ["**/*.js", "**/*.d.ts", "README.md", "LICENSE"],
  "engines": {{
    "node": ">=18"
  }}
}}
"#,
        version = quote(app_server_protocol::VERSION),
        description = quote(description),
        exports = exports.join(",\n"),
        repository = quote(REPOSITORY),
    )
}
