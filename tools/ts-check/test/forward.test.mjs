// node:test tests of what the package's decoders say about what a newer or a released server
// sends beyond the typed contract, as the Rust decoder says it: the method family
// `codex/event/{type}`, notifications no table knows, and refused notifications that keep
// their method (see also the differential test of `cargo xtask fixtures`).

import assert from "node:assert/strict";
import { test } from "node:test";

import * as protocol from "@app-server/protocol";

const {
  ErrorCode,
  PendingRequests,
  ServerNotificationFamily,
  ServerNotificationMethod,
  decodeClientMessage,
  decodeServerMessage,
  isLegacyEvent,
  isServerNotification,
} = protocol;

const CONVERSATION = "01a24e62-e7a2-7321-b0f9-8413b9ff7e51";
const legacy = (method, msg) =>
  JSON.stringify({ method, params: { id: "0", msg, conversationId: CONVERSATION } });
const DELTA = legacy("codex/event/agent_message_delta", { type: "agent_message_delta", delta: "Hel" });

test("a legacy event decodes under its full name, typed by its family", () => {
  const decoded = decodeServerMessage(DELTA, new PendingRequests());
  assert.equal(decoded.ok, true);
  assert.equal(decoded.kind, "notification");
  assert.equal(decoded.method, "codex/event/agent_message_delta");
  assert.deepEqual(JSON.parse(JSON.stringify(decoded.message)), JSON.parse(DELTA));
  assert.equal(isLegacyEvent(decoded.message), true);
  assert.equal(isServerNotification(decoded.message), true);
  assert.equal(isServerNotification(decoded.message, "codex/event/agent_message_delta"), true);
  assert.equal(isServerNotification(decoded.message, "codex/event/agent_message"), false);
});

test("the family is a prefix constant, not a wire name", () => {
  assert.equal(ServerNotificationFamily.LegacyEvent, "codex/event/");
  assert.ok(Object.isFrozen(ServerNotificationFamily));
  assert.equal(Object.values(ServerNotificationMethod).includes("codex/event/"), false);
  assert.equal(isLegacyEvent({ method: "codex/event/" }), false, "the bare prefix names no method");
  assert.equal(isLegacyEvent({ id: 1, method: "codex/event/task_started" }), false, "a request");
  assert.equal(isServerNotification({ method: "codex/event/" }), false);
});

test("a legacy event whose name and event type disagree is refused at the type, with its method", () => {
  const line = DELTA.replace("codex/event/agent_message_delta", "codex/event/agent_message");
  const decoded = decodeServerMessage(line, new PendingRequests());
  assert.equal(decoded.ok, false);
  assert.equal(decoded.error.code, ErrorCode.InvalidParams);
  assert.equal(decoded.error.path, "params.msg.type");
  assert.equal(
    decoded.error.detail,
    'expected "agent_message" (the method\'s last segment), found "agent_message_delta"',
  );
  assert.equal(decoded.error.notificationMethod, "codex/event/agent_message");
  assert.equal(decoded.error.toErrorResponse(), null, "a notification is never answered");
});

test("a legacy event of a type the contract lacks is refused at the type", () => {
  const decoded = decodeServerMessage(legacy("codex/event/brand_new", { type: "brand_new" }), new PendingRequests());
  assert.equal(decoded.ok, false);
  assert.deepEqual([decoded.error.code, decoded.error.path], [ErrorCode.InvalidParams, "params.msg.type"]);
  assert.equal(decoded.error.notificationMethod, "codex/event/brand_new");
});

test("a newer server's notification is kept with its method and raw params, and encodes back the same", () => {
  const line = '{"method":"thread/tokenUsage/updated","params":{"threadId":"t","turnId":"0","tokenUsage":{"total":{"totalTokens":42}}}}';
  const decoded = decodeServerMessage(line, new PendingRequests());
  assert.equal(decoded.ok, true);
  assert.equal(decoded.kind, "unknownNotification");
  assert.equal(decoded.method, "thread/tokenUsage/updated");
  assert.deepEqual(JSON.parse(JSON.stringify(decoded.message)), JSON.parse(line));
  assert.equal(isServerNotification(decoded.message), false);
  // Without params (or with `null`), the params stay absent.
  for (const bare of ['{"method":"x/y"}', '{"method":"x/y","params":null}', '{"method":"codex/event/"}']) {
    const kept = decodeServerMessage(bare, new PendingRequests());
    assert.equal(kept.kind, "unknownNotification", bare);
    assert.deepEqual(kept.message, { method: JSON.parse(bare).method }, bare);
  }
});

test("unknown notifications: params must be an object the Rust decoder can hold", () => {
  for (const line of [
    '{"method":"x/y","params":[1]}',
    '{"method":"x/y","params":{"a":"\\ud800"}}',
    '{"method":"x/y","params":{"a":1e400}}',
    `{"method":"x/y","params":{"k":${"[".repeat(127)}${"]".repeat(127)}}}`,
  ]) {
    const decoded = decodeServerMessage(line, new PendingRequests());
    assert.equal(decoded.ok, false, line);
    assert.deepEqual([decoded.error.code, decoded.error.path], [ErrorCode.InvalidParams, "params"], line);
    assert.equal(decoded.error.notificationMethod, "x/y");
  }
  const deepest = `{"method":"x/y","params":{"k":${"[".repeat(126)}${"]".repeat(126)}}}`;
  assert.equal(decodeServerMessage(deepest, new PendingRequests()).kind, "unknownNotification");
});

test("a server still refuses what it does not know, and a client what the other side sends", () => {
  for (const line of ['{"method":"x/y"}', DELTA]) {
    const decoded = decodeClientMessage(line, new PendingRequests());
    assert.equal(decoded.ok, false, line);
    assert.deepEqual([decoded.error.code, decoded.error.path], [ErrorCode.MethodNotFound, "method"], line);
    assert.equal(decoded.error.notificationMethod, JSON.parse(line).method);
  }
  const initialized = decodeServerMessage('{"method":"initialized"}', new PendingRequests());
  assert.equal(initialized.ok, false);
  assert.equal(initialized.error.code, ErrorCode.MethodNotFound);
  assert.equal(initialized.error.notificationMethod, "initialized");
});

test("a refused notification keeps its method; a refused request or an unreadable method does not", () => {
  const turn = decodeServerMessage('{"method":"turn/completed","params":{"turn":{}}}', new PendingRequests());
  assert.equal(turn.ok, false);
  assert.equal(turn.error.notificationMethod, "turn/completed");
  assert.equal(turn.error.method, "turn/completed");
  const request = decodeClientMessage('{"id":1,"method":"thread/archive","params":{}}', new PendingRequests());
  assert.equal(request.error.method, "thread/archive");
  assert.equal(request.error.notificationMethod, null);
  const noMethod = decodeServerMessage('{"method":7}', new PendingRequests());
  assert.equal(noMethod.error.notificationMethod, null);
  const version = decodeServerMessage('{"method":"turn/completed","jsonrpc":"1.0"}', new PendingRequests());
  assert.equal(version.error.notificationMethod, null, "refused before its method was read");
});

test("a loop waiting for turn/completed learns it came even when it was refused", () => {
  const lines = [
    '{"method":"thread/tokenUsage/updated","params":{"threadId":"t"}}',
    DELTA,
    '{"method":"turn/completed","params":{"turn":{"id":"0","items":[],"status":"completed"}}}',
  ];
  let done = false;
  const seen = [];
  for (const line of lines) {
    const decoded = decodeServerMessage(line, new PendingRequests());
    if (decoded.ok) seen.push(decoded.kind);
    else if (decoded.error.notificationMethod === "turn/completed") done = true;
  }
  assert.deepEqual(seen, ["unknownNotification", "notification"]);
  assert.equal(done, true);
});
