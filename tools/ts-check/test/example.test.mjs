// The reference client (examples/typescript-client/client.ts, on the package's `Client`),
// compiled with the pinned TypeScript, run against the mock app server: handshake, thread list, a turn with streamed
// items and an approval, a clean exit. The mock is `target/debug/app-server-kit` (built by
// `cargo xtask ci` before this step) or the binary named by APP_SERVER_KIT.

import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
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
  assert.ok(lines.some((l) => /^\[approval\] command \S+: .+ → accept$/.test(l)), "no approval answered");
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

// The Client over a real WebSocket from Node: the mock's `--listen`, the global WebSocket (Node 22;
// Node 20 has it behind --experimental-websocket), a turn with an approval.
const OVER_WEBSOCKET = `
import { Client, webSocketTransport } from "@app-server/protocol";
const client = new Client(webSocketTransport(process.argv[1]), { timeoutMs: 30000 });
const approvals = [];
client.handle("item/commandExecution/requestApproval", (params) => (approvals.push(params.itemId), { decision: "accept" }));
client.handle("item/fileChange/requestApproval", (params) => (approvals.push(params.itemId), { decision: "accept" }));
const hello = await client.request("initialize", { clientInfo: { name: "ws-test", version: "0" } });
await client.notify("initialized");
const { thread } = await client.request("thread/start", {});
const items = client.notifications();
const { turn } = await client.request("turn/start", { threadId: thread.id, input: [{ type: "text", text: "RUN cargo test" }] });
let status = null;
for await (const item of items) {
  if (item.kind === "notification" && item.notification.method === "turn/completed" && item.notification.params.turn.id === turn.id) {
    status = item.notification.params.turn.status;
    break;
  }
}
await client.close();
console.log(JSON.stringify({ userAgent: hello.userAgent, approvals, status, closed: client.isClosed }));
`;

test("the Client over the mock's WebSocket from Node: a turn with an approval", { timeout: 120_000 }, async () => {
  assert.ok(existsSync(kit), `no mock at ${kit}: run \`cargo build -p app-server-kit\` (or set APP_SERVER_KIT)`);
  const mock = spawn(kit, ["mock", "--listen", "127.0.0.1:0", "--seed", "7", "--speed", "0"], { stdio: ["pipe", "ignore", "pipe"] });
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the mock did not say where it listens within 30 s")), 30_000);
      mock.once("error", reject);
      createInterface({ input: mock.stderr }).on("line", (line) => {
        const found = /listening on (ws:\/\/\S+)/.exec(line);
        if (found !== null) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
    });
    const flags = typeof WebSocket === "undefined" ? ["--experimental-websocket", "--no-warnings"] : [];
    const run = spawnSync("node", [...flags, "--input-type=module", "-e", OVER_WEBSOCKET, url], { cwd: here, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
    const summary = JSON.parse(run.stdout);
    assert.match(summary.userAgent, /^app-server-kit-mock\//);
    assert.ok(summary.approvals.length >= 1, "no approval was asked");
    assert.equal(summary.status, "completed");
    assert.equal(summary.closed, true);
  } finally {
    mock.kill();
  }
});
