//! `cargo xtask ci`: every test and check, in the order a failure is cheapest to find. It
//! installs what the checks need first (the pinned TypeScript compilers, with `npm ci` into
//! `tools/ts-check/node_modules`: nothing global), but for the one system package the browser
//! test needs: Debian's `chromium`, installed with apt-get only when `/usr/bin/chromium` is
//! missing (playwright-core drives it; it downloads no browser).

use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}

/// One step of the run: a program with its arguments, run from a folder below the root.
struct Step {
    what: &'static str,
    dir: &'static str,
    program: &'static str,
    args: &'static [&'static str],
}

const STEPS: &[Step] = &[
    Step {
        what: "formatting (rustfmt): the whole workspace",
        dir: ".",
        program: "cargo",
        args: &["fmt", "--all", "--check"],
    },
    Step {
        what: "lints (clippy, warnings are errors): every crate, target and feature",
        dir: ".",
        program: "cargo",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    },
    Step {
        what: "layout: no file import cycle in any crate; ARCHITECTURE.md's dependency table true to cargo metadata",
        dir: ".",
        program: "cargo",
        args: &["xtask", "layout"],
    },
    Step {
        what: "install the pinned TypeScript compilers (5.x, 7.x), Ajv, the package checks, playwright-core (no browser download) and the generated package (a copy) into tools/ts-check/node_modules",
        dir: "tools/ts-check",
        program: "npm",
        args: &["ci", "--no-audit", "--no-fund"],
    },
    Step {
        what: "protocol crate: unit, integration and doc tests (default features: serde only)",
        dir: ".",
        program: "cargo",
        args: &["test", "-p", "app-server-protocol", "--locked"],
    },
    Step {
        what: "protocol crate with every feature (codegen)",
        dir: ".",
        program: "cargo",
        args: &["test", "-p", "app-server-protocol", "--locked", "--all-features"],
    },
    Step {
        what: "behaviour helper crates (behaviour, config-edit, exec-policy): unit, integration and doc tests",
        dir: ".",
        program: "cargo",
        args: &[
            "test",
            "-p",
            "app-server-behaviour",
            "-p",
            "app-server-config-edit",
            "-p",
            "app-server-exec-policy",
            "--locked",
        ],
    },
    Step {
        what: "async peer (tokio): unit, integration (examples run against each other) and doc tests",
        dir: ".",
        program: "cargo",
        args: &["test", "-p", "app-server-peer", "--locked"],
    },
    Step {
        what: "xtask: its own tests (protocol with the codegen feature)",
        dir: ".",
        program: "cargo",
        args: &["test", "-p", "xtask", "--locked"],
    },
    Step {
        what: "forward compatibility: every change `compat` calls safe on what the server sends, made to the fixtures, decodes unchanged (the cases listed)",
        dir: ".",
        program: "cargo",
        args: &["test", "-p", "xtask", "--locked", "compat::tests::forward", "--", "--nocapture"],
    },
    Step {
        what: "app server kit: the mock and the conformance kit, against the real binary over stdio and WebSocket",
        dir: ".",
        program: "cargo",
        args: &["test", "-p", "app-server-kit", "--locked"],
    },
    Step {
        what: "generated/ is what codegen renders",
        dir: ".",
        program: "cargo",
        args: &["xtask", "codegen", "--check"],
    },
    Step {
        what: "wire fixtures: serde round trip, schema, TypeScript; invalid inputs; coverage; the TypeScript decoder against the Rust one (differential)",
        dir: ".",
        program: "cargo",
        args: &["xtask", "fixtures"],
    },
    Step {
        what: "compatibility with the newest baseline in compat/baselines/ (direction rule, v1 frozen, stability): no unaccepted break, allow.toml and the committed report current",
        dir: ".",
        program: "cargo",
        args: &["xtask", "compat"],
    },
    Step {
        what: "schema bundles against the 2020-12 meta-schema, openrpc.json against OpenRPC 1.3 (Ajv)",
        dir: "tools/ts-check",
        program: "node",
        args: &["validate-schemas.mjs"],
    },
    Step {
        what: "generated TypeScript + consumer: TypeScript 5, moduleResolution bundler",
        dir: "tools/ts-check",
        program: "node",
        args: &["node_modules/typescript5/bin/tsc", "-p", "tsconfig.bundler.json"],
    },
    Step {
        what: "generated TypeScript + consumer: TypeScript 5, moduleResolution nodenext",
        dir: "tools/ts-check",
        program: "node",
        args: &["node_modules/typescript5/bin/tsc", "-p", "tsconfig.nodenext.json"],
    },
    Step {
        what: "generated TypeScript + consumer: TypeScript 7, moduleResolution bundler",
        dir: "tools/ts-check",
        program: "node",
        args: &["node_modules/typescript7/bin/tsc", "-p", "tsconfig.bundler.json"],
    },
    Step {
        what: "generated TypeScript + consumer: TypeScript 7, moduleResolution nodenext",
        dir: "tools/ts-check",
        program: "node",
        args: &["node_modules/typescript7/bin/tsc", "-p", "tsconfig.nodenext.json"],
    },
    Step {
        what: "TypeScript runtime sources (runtimes/typescript, as generated): tsc --checkJs, TypeScript 5",
        dir: "tools/ts-check",
        program: "node",
        args: &["check-runtime.mjs"],
    },
    Step {
        what: "the package README's Client example (Node entry point): TypeScript 5, nodenext",
        dir: "tools/ts-check",
        program: "node",
        args: &["node_modules/typescript5/bin/tsc", "-p", "tsconfig.readme-client.json"],
    },
    Step {
        what: "TypeScript package runtime (node:test): constants, guards, decoders, method families and unknown notifications, the Client and its transports; hover and @deprecated through the language service",
        dir: "tools/ts-check",
        program: "node",
        args: &[
            "--test",
            "--test-timeout=120000",
            "test/runtime.test.mjs",
            "test/forward.test.mjs",
            "test/client.test.mjs",
            "test/hover.test.mjs",
        ],
    },
    Step {
        what: "TypeScript package as published: npm pack contents, publint (strict), @arethetypeswrong/cli (ESM entry points), the README's size figures (esbuild); installed by folder, from the tarball and through esbuild into empty projects (offline)",
        dir: "tools/ts-check",
        program: "node",
        args: &[
            "--test",
            "--test-timeout=180000",
            "test/package.test.mjs",
            "test/size.test.mjs",
            "test/install.test.mjs",
        ],
    },
    Step {
        what: "the mock app server the reference client talks to (app-server-kit)",
        dir: ".",
        program: "cargo",
        args: &["build", "-p", "app-server-kit", "--bin", "app-server-kit", "--locked"],
    },
    Step {
        what: "the TypeScript reference client (examples/typescript-client) against the mock over stdio, and the Client over the mock's WebSocket from Node",
        dir: "tools/ts-check",
        program: "node",
        args: &["--test", "--test-timeout=180000", "test/example.test.mjs"],
    },
    Step {
        what: "Debian's chromium for the browser test, installed with apt-get only when /usr/bin/chromium is missing",
        dir: ".",
        program: "sh",
        args: &[
            "-c",
            "test -x /usr/bin/chromium || { apt-get update && apt-get install -y --no-install-recommends chromium; }",
        ],
    },
    Step {
        what: "the browser example (examples/browser-client) in headless Chromium (playwright-core): served with script-src 'self', a turn with an approval against the mock's WebSocket; screenshot target/browser-client.png",
        dir: "tools/ts-check",
        program: "node",
        args: &["--test", "--test-timeout=180000", "test/browser.test.mjs"],
    },
    Step {
        what: "Python: tools/py-check/.venv from the pinned requirements.txt, pyright and quicktype with npm ci (nothing global)",
        dir: ".",
        program: "python3",
        args: &["tools/py-check/check.py", "setup"],
    },
    Step {
        what: "Python package: fixtures round trip, invalid fixtures as in Rust, the asyncio Client, the consumer against the mock, every params model under pyright and mypy --strict, pip install leaving generated/ untouched, generator bundle through datamodel-code-generator and quicktype (real 0.66.0 lines included)",
        dir: ".",
        program: "python3",
        args: &["tools/py-check/check.py", "test"],
    },
    Step {
        what: "Python package and consumer example: pyright --strict and mypy --strict; runtimes/python: pyright --strict",
        dir: ".",
        program: "python3",
        args: &["tools/py-check/check.py", "types"],
    },
    Step {
        what: "the walk: thread/rename added to a throwaway copy by ARCHITECTURE.md's steps alone builds and passes; without the mock's handler the kit does not compile and names it",
        dir: ".",
        program: "cargo",
        args: &["xtask", "walk"],
    },
    Step {
        what: "interoperability with the pinned released servers (interop/releases.toml, fetched from npm once into target/interop/cache): sessions through our peer, offline against the stand-in model API; every finding on the release's deviation list, no stale entry; then `app-server-kit conform server --model stand-in` against each release (two runs, identical verdicts, as interop/<version>/conform.toml says), each broken relay failing its check, the kit against the mock failing nothing",
        dir: ".",
        program: "cargo",
        args: &["xtask", "interop"],
    },
    Step {
        what: "the TypeScript reference client against the pinned real release (cached by the interop step), offline against the stand-in model API: a turn with an approval",
        dir: "tools/ts-check",
        program: "node",
        args: &["--test", "--test-timeout=240000", "test/real-server.test.mjs"],
    },
    Step {
        what: "Python consumer on the package's Client: a turn with an approval against the real release the interop step fetched (required here, not skipped)",
        dir: ".",
        program: "python3",
        args: &["tools/py-check/check.py", "release"],
    },
];

pub fn run() -> Result<ExitCode, String> {
    let root = workspace_root();
    for step in STEPS {
        eprintln!("==> {}: {} {}", step.what, step.program, step.args.join(" "));
        let status = Command::new(step.program)
            .args(step.args)
            .current_dir(root.join(step.dir))
            .status()
            .map_err(|err| format!("could not run `{}` ({}): {err}", step.program, step.what))?;
        if !status.success() {
            eprintln!("==> FAILED: {}", step.what);
            return Ok(ExitCode::FAILURE);
        }
    }
    eprintln!("==> all checks passed");
    Ok(ExitCode::SUCCESS)
}
