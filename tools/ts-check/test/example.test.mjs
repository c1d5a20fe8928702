// The reference client (examples/typescript-client/client.ts, on the package's `Client`),
// compiled with the pinned TypeScript, run against the mock app server: handshake, thread list, a turn with streamed
// items and an approval, a clean exit. The mock is `target/debug/app-server-kit` (built by
// `cargo xtask ci` before this step) or the binary named by APP_SERVER_KIT.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const here = path.dirname(fileURLToPath(new URL("../package.json", import.meta.url)));
const kit = process.env.APP_SERVER_KIT ?? path.resolve(here, "../../target/debug/app-server-kit");

test("the reference client talks to the mock: handshake, threads, a streamed turn, an approval, a clean exit", { timeout: 120_000 }, () => {
  assert.ok(existsSync(kit), `no mock at ${kit}: run \`cargo build -p app-server-kit\` (or set APP_SERVER_KIT)`);
  execFileSync("node", ["node_modules/typescript5/bin/tsc", "-p", "tsconfig.example.json"], {
    cwd: here, encoding: "utf8", timeout: 60_000,
  });
  const run = spawnSync("node", [".example/client.js", kit, "mock", "--seed", "7", "--speed", "0"], {
    cwd: here, encoding: "utf8", timeout: 60_000,
  });
  assert.equal(run.error, undefined, String(run.error));
  assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.split("\n");
  assert.match(lines[0], /^connected to app-server-kit-mock\//);
  assert.match(lines[1], /^\d+ stored thread\(s\)/);
  assert.match(lines[2], /^thread \S+$/);
  assert.ok(lines.some((l) => /^\[approval\] command item_\S+: .+ → accept$/.test(l)), "no approval answered");
  assert.ok(lines.some((l) => l.startsWith("[completed] command: ")), "the approved command never completed");
  // Every streamed agent message is the text of the item that completes it.
  const streamed = lines.filter((l) => l.startsWith("[streaming] ")).map((l) => l.slice("[streaming] ".length));
  const messages = lines.filter((l) => l.startsWith("[completed] agent: ")).map((l) => l.slice("[completed] agent: ".length));
  assert.ok(streamed.length > 0, "nothing was streamed");
  assert.deepEqual(streamed, messages);
  assert.equal(lines.filter((l) => l.length > 0).at(-1), "turn completed: completed");
  assert.equal(run.stderr, "", "the client reported bad lines");
});

test("the reference client fails cleanly when the mock cannot start", { timeout: 60_000 }, () => {
  execFileSync("node", ["node_modules/typescript5/bin/tsc", "-p", "tsconfig.example.json"], { cwd: here, timeout: 60_000 });
  const run = spawnSync("node", [".example/client.js", path.join(here, "no-such-binary")], { cwd: here, encoding: "utf8", timeout: 30_000 });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /ENOENT/);
});
