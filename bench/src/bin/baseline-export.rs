//! The baseline crate's `export` binary (`codex-app-server-protocol` 0.63.0, `src/bin/export.rs`):
//! the same call, `generate_types(out_dir, None)` (TypeScript, then JSON Schema, no Prettier),
//! without its clap front end. Timed against `cargo xtask codegen --check` by `codegen_time.sh`.
//!
//! Usage: `baseline-export --out DIR`

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().collect();
    let out = match args.as_slice() {
        [_, flag, dir] if flag == "--out" || flag == "-o" => PathBuf::from(dir),
        _ => return Err("usage: baseline-export --out DIR".into()),
    };
    codex_app_server_protocol::generate_types(&out, None)?;
    Ok(())
}
