// The reference client (examples/typescript-client, on the package's `Client`) against the
// pinned real release of the interop suite (interop/releases.toml), offline: the release's
// `codex app-server` talks to the stand-in model API (`app-server-kit model`), as
// `cargo xtask interop` launches it (xtask/src/interop/launch.rs). The prompt `RUN` makes the
// stand-in ask to run a command, which the server puts to the client as an approval request.
// The binary is the one `cargo xtask interop` caches; without it the test is skipped, saying so.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";

const here = path.dirname(fileURLToPath(new URL("../package.json", import.meta.url)));
const root = path.resolve(here, "../..");
const kit = process.env.APP_SERVER_KIT ?? path.join(root, "target/debug/app-server-kit");

// The newest pinned release: the last `[[release]]` version of interop/releases.toml.
const releases = readFileSync(path.join(root, "interop/releases.toml"), "utf8");
const version = [...releases.matchAll(/^version\s*=\s*"([^"]+)"/gm)].map((m) => m[1]).at(-1);
const codex = path.join(root, "target/interop/cache", version ?? "none", "codex");
const skip = !existsSync(codex)
  ? `no cached release ${version} at ${path.relative(root, codex)}: \`cargo xtask interop\` fetches it (CI runs this test after it)`
  : false;

// The config.toml of xtask/src/interop/launch.rs: the stand-in as the model provider.
const configToml = (baseUrl) => `model = "gpt-5.1-codex"
model_provider = "stub"
approval_policy = "untrusted"
sandbox_mode = "workspace-write"

[model_providers.stub]
name = "stub"
base_url = "${baseUrl}"
wire_api = "responses"
request_max_retries = 1
stream_max_retries = 1
stream_idle_timeout_ms = 5000
`;

const scratch = mkdtempSync(path.join(tmpdir(), "ts-client-real-"));
const children = [];
after(() => {
  for (const child of children) child.kill();
  rmSync(scratch, { recursive: true, force: true });
});

/** Starts the stand-in model API; resolves with its base URL (its one line on stdout). */
function startModel() {
  const model = spawn(kit, ["model", "--exit-on-stdin-eof"], { stdio: ["pipe", "pipe", "ignore"] });
  children.push(model);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the stand-in model API said nothing within 30 s")), 30_000);
    model.once("error", reject);
    createInterface({ input: model.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const url = line.startsWith("base_url=") ? line.slice("base_url=".length) : null;
      if (url === null) reject(new Error(`the stand-in model API printed \`${line}\`, not base_url=…`));
      else resolve(url);
    });
  });
}

test(`the reference client runs a turn with an approval against the real release ${version}`, { skip, timeout: 180_000 }, async () => {
  assert.ok(existsSync(kit), `no stand-in model API at ${kit}: run \`cargo build -p app-server-kit\` (or set APP_SERVER_KIT)`);
  execFileSync("node", ["node_modules/typescript5/bin/tsc", "-p", "tsconfig.example.json"], { cwd: here, timeout: 60_000 });
  const baseUrl = await startModel();
  const dirs = Object.fromEntries(["home", "work", "user"].map((name) => [name, path.join(scratch, name)]));
  for (const dir of Object.values(dirs)) mkdirSync(dir);
  writeFileSync(path.join(dirs.home, "config.toml"), configToml(baseUrl));
  const client = spawn("node", [path.join(here, ".example/client.js"), "--prompt", "RUN", codex, "app-server"], {
    cwd: dirs.work,
    env: { PATH: process.env.PATH, CODEX_HOME: dirs.home, HOME: dirs.user, OPENAI_API_KEY: "sk-test", RUST_LOG: "error" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(client);
  let stdout = "";
  let stderr = "";
  client.stdout.on("data", (chunk) => (stdout += chunk));
  client.stderr.on("data", (chunk) => (stderr += chunk));
  const status = await new Promise((resolve) => client.once("exit", resolve));
  assert.equal(status, 0, `exit ${status}\n${stdout}\n${stderr}`);
  const lines = stdout.split("\n");
  assert.match(lines[0], /^connected to \S+/);
  assert.match(lines[2], /^thread \S+$/);
  assert.ok(lines.some((l) => /^\[approval\] command \S+: .* → accept$/.test(l)), `no approval answered:\n${stdout}`);
  assert.ok(lines.some((l) => /^\[completed\] command: .*echo hello/.test(l)), `the approved command never completed:\n${stdout}`);
  assert.equal(lines.filter((l) => l.length > 0).at(-1), "turn completed: completed");
  // What the release sends beyond the contract is reported on stderr (the deviations of interop/); shown, not judged.
  if (stderr !== "") console.log(`the client reported:\n${stderr}`);
  console.log(stdout);
});
