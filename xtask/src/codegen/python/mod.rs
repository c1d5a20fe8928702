//! Render: the typed Python package under `generated/python/`.
//!
//! A pydantic v2 model per type of the method table's payloads, from the same schemars
//! definitions the schema bundles are made of: the deserialize contract says what a model
//! accepts, the serialize contract what it writes (see `models.rs`). The method maps come
//! from the method table (`render.rs`); the decoder, the encoder and the model base are Python
//! sources kept in `runtimes/python/` at the root of the repository and copied as they are;
//! the larger templates are files in `templates/`.

mod calls;
mod leniency;
mod models;
mod names;
mod render;
mod templates;
#[cfg(test)]
mod tests;
mod unions;

use std::path::PathBuf;

use super::OutputFiles;
use super::collect::Surface;

/// Where the package's modules are, under `python/`.
const PACKAGE: &str = "python/src/app_server_protocol";

/// The hand-written runtime module `$file` of `runtimes/python/app_server_protocol/`.
macro_rules! runtime {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../../../runtimes/python/app_server_protocol/", $file)))),*]
    };
}

/// The hand-written runtime modules, copied into the package with the generated header.
const RUNTIME: &[(&str, &str)] = runtime!(
    "_wire.py",
    "_spec.py",
    "_leniency.py",
    "_nesting.py",
    "_wording.py",
    "_parse.py",
    "_locate.py",
    "_decode.py",
    "_lines.py",
    "client.py",
    "__init__.py",
);

const TYPES_DOC: &str = "The shared and API v1 types (v1 is frozen at the 0.63.0 wire), one model per Rust type.\n\nEach model accepts what the Rust decoder accepts and writes what the Rust encoder writes.";
const V2_DOC: &str = "The API v2 types, one model per Rust type (`crate::v2`).\n\nEach model accepts what the Rust decoder accepts and writes what the Rust encoder writes.";

/// Renders the Python package into `files`, under `python/`.
pub fn render(surface: &Surface, files: &mut OutputFiles) -> Result<(), String> {
    // The types no payload reaches (the `data` of error responses, `RequestId`) are only
    // among the canonical definitions; they read as they are written.
    let mut decode = surface.decode_defs.clone();
    for (name, schema) in &surface.canonical_defs {
        decode.entry(name.clone()).or_insert_with(|| schema.clone());
    }
    let mut modules = models::build(&decode, &surface.canonical_defs)?;
    leniency::apply(&mut modules)?;
    let package = PathBuf::from(PACKAGE);
    for (name, module) in &modules {
        let doc = if *name == "v2" { V2_DOC } else { TYPES_DOC };
        files.insert(package.join(format!("{name}.py")), render::module(name, doc, module));
    }
    files.insert(package.join("methods.py"), render::methods(&surface.methods));
    files.insert(package.join("_calls.py"), calls::module(&surface.methods));
    for (file, text) in RUNTIME {
        let text = text.replace("0.0.0+codegen", app_server_protocol::VERSION);
        files.insert(package.join(file), format!("{}{text}", render::HEADER));
    }
    files.insert(package.join("py.typed"), String::new());
    files.insert(PathBuf::from("python/pyproject.toml"), pyproject());
    files.insert(PathBuf::from("python/README.md"), readme());
    Ok(())
}

fn pyproject() -> String {
    let header = render::HEADER.trim_end();
    templates::fill(
        templates::PYPROJECT,
        &[("header", header), ("version", app_server_protocol::VERSION)],
    )
}

fn readme() -> String {
    templates::fill(templates::README, &[("version", app_server_protocol::VERSION)])
}
