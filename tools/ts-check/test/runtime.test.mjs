// node:test tests of the package's runtime, as a consumer installs it (a copy of
// generated/typescript in node_modules, see .npmrc): constants, guards, decoders.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as protocol from "@app-server/protocol";
import * as v2 from "@app-server/protocol/v2";

const {
  ClientRequestMethod,
  V2ClientRequestMethod,
  ServerNotificationMethod,
  ServerRequestMethod,
  PendingRequests,
  ErrorCode,
  decodeClientMessage,
  decodeServerMessage,
  isServerNotification,
  isServerRequest,
  isClientRequest,
  isResponse,
  isErrorResponse,
} = protocol;

test("the installed package is the generated one (run `npm ci` after codegen otherwise)", () => {
  const read = (root, file) => readFileSync(new URL(`${root}${file}`, import.meta.url), "utf8");
  const installed = "../node_modules/@app-server/protocol/";
  const generated = "../../../generated/typescript/";
  for (const file of ["runtime/decode.js", "runtime/tables.js", "runtime/schema.js", "runtime/constants.d.ts", "methods.d.ts"]) {
    assert.equal(read(installed, file), read(generated, file), `${file} differs`);
  }
  // npm rewrites package.json when it installs a copy: compare what resolution reads.
  const [a, b] = [installed, generated].map((root) => JSON.parse(read(root, "package.json")));
  assert.deepEqual([a.version, a.exports, a.dependencies], [b.version, b.exports, b.dependencies]);
});

test("constants: canonical wire names, frozen, v2-only maps without v1", () => {
  assert.equal(ClientRequestMethod.ThreadList, "thread/list");
  assert.equal(ClientRequestMethod.NewConversation, "newConversation");
  assert.equal(ServerNotificationMethod.TurnCompleted, "turn/completed");
  assert.equal(ServerRequestMethod.CommandExecutionRequestApproval, "item/commandExecution/requestApproval");
  assert.ok(Object.isFrozen(ClientRequestMethod));
  assert.equal(V2ClientRequestMethod.ThreadList, "thread/list");
  assert.equal(V2ClientRequestMethod.Initialize, "initialize");
  assert.equal("NewConversation" in V2ClientRequestMethod, false);
  assert.ok(Object.keys(V2ClientRequestMethod).length < Object.keys(ClientRequestMethod).length);
  // The v2 entry point re-exports the same objects.
  assert.equal(v2.V2ClientRequestMethod, V2ClientRequestMethod);
  assert.equal(protocol.v2.isThreadItem, v2.isThreadItem);
  // Every value is unique within its map.
  for (const map of [ClientRequestMethod, ServerNotificationMethod, ServerRequestMethod]) {
    const values = Object.values(map);
    assert.equal(new Set(values).size, values.length);
  }
});

const LIST = '{"id":1,"result":{"data":[],"nextCursor":null}}';

test("decodeServerMessage: a response is typed by the method of the pending request, which it takes out", () => {
  const pending = new PendingRequests();
  const id = pending.nextId();
  pending.register(id, ClientRequestMethod.ThreadList);
  const decoded = decodeServerMessage(LIST, pending);
  assert.equal(decoded.ok, true);
  assert.equal(decoded.kind, "response");
  assert.equal(decoded.method, "thread/list");
  assert.deepEqual(decoded.message, { id: 1, result: { data: [], nextCursor: null } });
  assert.equal(pending.size, 0);
  // The same answer again answers nothing: -32600 at `id`.
  const again = decodeServerMessage(LIST, pending);
  assert.equal(again.ok, false);
  assert.equal(again.error.code, ErrorCode.InvalidRequest);
  assert.equal(again.error.path, "id");
});

test("decodeServerMessage: a result that does not fit is -32603 with the path", () => {
  const pending = new PendingRequests();
  pending.register(4, "thread/list");
  const decoded = decodeServerMessage('{"id":4,"result":{"data":"none","nextCursor":null}}', pending);
  assert.equal(decoded.ok, false);
  assert.equal(decoded.error.code, -32603);
  assert.equal(decoded.error.path, "result.data");
  assert.match(decoded.error.message, /result\.data/);
  assert.equal(decoded.error.toErrorResponse(), null, "a response is never answered");
});

test("decodeClientMessage: codes and paths as the Rust decoder reports them", () => {
  const cases = [
    ["", -32700, null],
    ['{"id":3,"method":"thread/list"', -32700, null],
    ["[1,2]", -32600, null],
    ["null", -32600, null],
    ['{"id":1.5,"method":"account/logout"}', -32600, "id"],
    ['{"id":true,"method":"account/logout"}', -32600, "id"],
    ['{"id":1.0,"method":"account/logout"}', -32600, "id"],
    ['{"id":9223372036854775808,"method":"account/logout"}', -32600, "id"],
    ['{"id":1,"method":"account/logout","method":"thread/list"}', -32600, "method"],
    ['{"id":-0,"method":"account/logout"}', -32600, "id"],
    ['{"id":1,"method":"thread/list","params":{"limit":10.0}}', -32602, "params.limit"],
    ['{"id":1,"method":"thread/archive","params":{"threadId":"a","threadId":"b"}}', -32602, "params.threadId"],
    ['{"id":1,"method":"thread/archive","params":{"threadId":"\\ud800"}}', -32602, "params.threadId"],
    [`{"id":1,"method":"thread/start","params":{"config":${'{"k":'.repeat(130)}1${"}".repeat(130)}}}`, -32602, `params.config${".k".repeat(126)}`],
    ['{"jsonrpc":"1.0","id":1,"method":"account/logout"}', -32600, "jsonrpc"],
    ['{"id":5,"method":42}', -32600, "method"],
    ['{"id":6,"method":"thread/delete"}', -32601, "method"],
    ['{"method":"turn/completed","params":{}}', -32601, "method"],
    ['{"id":7,"method":"thread/list","params":[25]}', -32602, "params"],
    ['{"id":8,"method":"thread/archive","params":{}}', -32602, "params.threadId"],
    ['{"id":9,"method":"thread/archive","params":{"threadId":42}}', -32602, "params.threadId"],
    ['{"id":10,"method":"thread/list","params":{"limit":0}}', -32602, "params.limit"],
    ['{"id":11,"method":"thread/list","params":{"limit":4294967296}}', -32602, "params.limit"],
    ['{"id":12,"method":"turn/start","params":{"threadId":"t","input":[["text","hi"]]}}', -32602, "params.input[0]"],
    ['{"id":13,"method":"turn/start","params":{"threadId":"t","input":[{"type":"video"}]}}', -32602, "params.input[0].type"],
    ['{"id":14,"method":"turn/start","params":{"threadId":"t","input":[{"type":"text","text":7}]}}', -32602, "params.input[0].text"],
  ];
  for (const [line, code, path] of cases) {
    const decoded = decodeClientMessage(line, new PendingRequests());
    assert.equal(decoded.ok, false, `accepted ${line}`);
    assert.equal(decoded.error.code, code, line);
    assert.equal(decoded.error.path, path, line);
    assert.ok(decoded.error instanceof protocol.DecodeError);
  }
});

test("decodeClientMessage: lenient on input — absent optional params, null params, aliases, unknown members", () => {
  const pending = new PendingRequests();
  const absent = decodeClientMessage('{"id":1,"method":"thread/list"}', pending);
  assert.equal(absent.ok, true);
  assert.equal(absent.method, "thread/list");
  const nulls = decodeClientMessage('{"id":2,"method":"thread/list","params":null}', pending);
  assert.equal(nulls.ok, true);
  const unknown = decodeClientMessage('{"id":3,"method":"thread/list","params":{"limit":5,"later":true},"extra":1}', pending);
  assert.equal(unknown.ok, true);
  assert.deepEqual(unknown.message, { id: 3, method: "thread/list", params: { limit: 5, later: true } });
  const alias = decodeClientMessage('{"id":4,"method":"mcpServers/list","params":{"limit":2}}', pending);
  assert.equal(alias.ok, true);
  assert.equal(alias.method, "mcpServerStatus/list", "an alias decodes to the canonical method");
  assert.equal(alias.message.method, "mcpServerStatus/list");
  const bigId = decodeClientMessage('{"id":-9223372036854775808,"method":"account/logout"}', pending);
  assert.equal(bigId.ok, true, "the smallest 64-bit id is an id");
  const text = decodeClientMessage('{"id":"a \\"quoted\\" id, with {braces}","method":"account/logout","extra":{"id":1.5}}', pending);
  assert.equal(text.ok, true, "only the top-level id is judged");
  assert.equal(text.message.id, 'a "quoted" id, with {braces}');
  const skipped = decodeClientMessage(`{"id":5,"method":"thread/list","params":{"limit":5,"later":${"[".repeat(3000)}${"]".repeat(3000)},"note":1.0}}`, pending);
  assert.equal(skipped.ok, true, "members no type reads are skipped, however written");
  const version = decodeClientMessage('{"jsonrpc":"2.0","method":"initialized"}', pending);
  assert.equal(version.ok, true);
  assert.equal(version.kind, "notification");
});

test("decodeServerMessage: a member the server always writes, left out, reads as the Rust decoder reads it (null)", () => {
  const line = '{"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"completed"}}}';
  const decoded = decodeServerMessage(line, new PendingRequests());
  assert.equal(decoded.ok, true);
  assert.equal(decoded.message.params.turn.error, null, "`Turn.error` is `TurnError | null`, never undefined");
  const pending = new PendingRequests();
  pending.register(1, "thread/list");
  const page = decodeServerMessage('{"id":1,"result":{"data":[]}}', pending);
  assert.equal(page.ok, true);
  assert.deepEqual(page.message.result, { data: [], nextCursor: null });
  const written = decodeServerMessage('{"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"failed","error":{"message":"boom"}}}}', new PendingRequests());
  assert.deepEqual(written.message.params.turn.error, { message: "boom", codexErrorInfo: null }, "what was written is kept, and filled below");
});

test("DecodeError.toErrorResponse answers a refused request with path and expectation in data", () => {
  const decoded = decodeClientMessage('{"id":8,"method":"thread/archive","params":{"threadId":42}}', new PendingRequests());
  assert.equal(decoded.ok, false);
  const answer = decoded.error.toErrorResponse();
  assert.equal(answer.id, 8);
  assert.equal(answer.error.code, -32602);
  assert.equal(answer.error.data.path, "params.threadId");
  assert.equal(answer.error.data.expected, "a string");
  // A notification is never answered.
  const note = decodeClientMessage('{"method":"initialized","params":[1]}', new PendingRequests());
  assert.equal(note.ok, false);
  assert.equal(note.error.toErrorResponse(), null);
});

test("decoders never throw: hostile input is an error value", () => {
  const hostile = ['{"__proto__":{"x":1}}', '{"method":"__proto__"}', '{"id":1,"method":"constructor"}',
    '{"id":1,"method":"toString"}', "\u0000", "{".repeat(5000), '{"id":1,"result":{}}', 42, undefined];
  for (const line of hostile) {
    for (const decode of [decodeClientMessage, decodeServerMessage]) {
      const decoded = decode(line, new PendingRequests());
      // A client keeps a notification it does not know, whatever its name (as in Rust).
      if (decode === decodeServerMessage && line === '{"method":"__proto__"}') {
        assert.deepEqual([decoded.kind, decoded.method], ["unknownNotification", "__proto__"]);
        continue;
      }
      assert.equal(decoded.ok, false, String(line).slice(0, 40));
      assert.equal(typeof decoded.error.code, "number");
    }
  }
  // Nested far deeper than any validator's stack, where a payload type is recursive.
  const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
  for (const line of [
    `{"id":1,"method":"config/value/write","params":{"keyPath":"a","value":${deep},"mergeStrategy":"replace"}}`,
    `{"id":2,"method":"thread/list","params":{"limit":5,"extra":${deep}}}`,
  ]) {
    const decoded = decodeClientMessage(line, new PendingRequests());
    assert.equal(typeof decoded.ok, "boolean");
    if (!decoded.ok) assert.equal(typeof decoded.error.code, "number");
  }
  // Plain JavaScript may leave the table out: nothing is pending then.
  const noTable = decodeServerMessage('{"id":1,"result":{}}');
  assert.equal(noTable.ok, false);
  assert.equal(noTable.error.path, "id");
  assert.equal(decodeServerMessage('{"method":"turn/started","params":null}', null).ok, false);
  const big = decodeClientMessage(`{"method":"initialized","params":{"x":"${"a".repeat(100)}"}}`, new PendingRequests(), { maxMessageBytes: 64 });
  assert.equal(big.ok, false);
  assert.equal(big.error.code, -32600);
});

test("message guards narrow by direction and method", () => {
  const request = { id: 1, method: "item/commandExecution/requestApproval", params: {} };
  const notification = { method: "turn/completed", params: {} };
  assert.equal(isServerRequest(request), true);
  assert.equal(isServerRequest(request, "item/commandExecution/requestApproval"), true);
  assert.equal(isServerRequest(request, "item/fileChange/requestApproval"), false);
  assert.equal(isServerRequest(notification), false);
  assert.equal(isServerNotification(notification), true);
  assert.equal(isServerNotification(notification, "turn/completed"), true);
  assert.equal(isServerNotification(notification, "turn/started"), false);
  assert.equal(isServerNotification({ method: "thread/list" }), false, "a client's method");
  assert.equal(isClientRequest({ id: 1, method: "thread/list" }, "thread/list"), true);
  assert.equal(isResponse({ id: 1, result: {} }), true);
  assert.equal(isErrorResponse({ id: 1, error: { code: 1, message: "m" } }), true);
  assert.equal(isResponse({ id: 1, error: { code: 1, message: "m" } }), false);
});

test("tagged-union guards validate and narrow by tag", () => {
  const item = { type: "agentMessage", id: "item_1", text: "done" };
  assert.equal(v2.isThreadItem(item), true);
  assert.equal(v2.isThreadItem(item, "agentMessage"), true);
  assert.equal(v2.isThreadItem(item, "commandExecution"), false);
  assert.equal(v2.isThreadItem({ type: "agentMessage", id: "item_1", text: 5 }), false, "validated, not only tagged");
  // An open union: an item of a kind this version does not know is one (a newer server's).
  assert.equal(v2.isThreadItem({ type: "hologram", id: "x" }), true);
  assert.equal(v2.isThreadItem({ type: "hologram", id: "x" }, "agentMessage"), false);
  assert.equal(v2.isThreadItem({ type: 7, id: "x" }), false, "the tag is a string");
  assert.equal(v2.isThreadItem({ id: "x" }), false, "the tag is required");
  assert.equal(v2.isThreadItem(["agentMessage"]), false);
  assert.equal(v2.isUserInput({ type: "text", text: "hi" }, "text"), true);
  assert.equal(typeof protocol.isEventMsg, "function");
});

test("open types keep what a newer server sends, as it came; a known tag is held to its variant", () => {
  const started = (item) =>
    decodeServerMessage(JSON.stringify({ method: "item/started", params: { threadId: "t", turnId: "u", item } }), new PendingRequests());
  const newer = { type: "enteredReviewMode", id: "item_9", review: { deep: [1, { x: null }] } };
  const decoded = started(newer);
  assert.equal(decoded.ok, true);
  assert.deepEqual(decoded.message.params.item, newer);
  const known = started({ type: "agentMessage", id: "item_1" });
  assert.equal(known.ok, false);
  assert.equal(known.error.path, "params.item.text");
  const badTag = started({ type: 7, id: "item_1" });
  assert.deepEqual([badTag.ok, badTag.error?.path], [false, "params.item.type"]);
  const pending = new PendingRequests();
  pending.register(3, "model/list");
  const model = {
    id: "m", model: "m", displayName: "M", description: "", isDefault: true, defaultReasoningEffort: "ultra",
    supportedReasoningEfforts: [{ reasoningEffort: "ultra", description: "newer" }],
  };
  const listed = decodeServerMessage(JSON.stringify({ id: 3, result: { data: [model], nextCursor: null } }), pending);
  assert.equal(listed.ok, true, JSON.stringify(listed.error));
  assert.equal(listed.message.result.data[0].defaultReasoningEffort, "ultra");
  pending.register(4, "model/list");
  const notString = decodeServerMessage(JSON.stringify({ id: 4, result: { data: [{ ...model, defaultReasoningEffort: 5 }], nextCursor: null } }), pending);
  assert.deepEqual([notString.ok, notString.error?.path], [false, "result.data[0].defaultReasoningEffort"]);
});

test("every definition of the decode contract compiles, and validates any value without throwing", async () => {
  const { default: schema } = await import("../node_modules/@app-server/protocol/runtime/schema.js");
  const defs = Object.keys(schema.$defs);
  assert.ok(defs.length > 300, `${defs.length} definitions`);
  const samples = [null, {}, [], "x", 0, { type: "other" }];
  for (const def of defs) {
    for (const sample of samples) assert.equal(typeof protocol.validates(def, sample), "boolean", def);
  }
});

test("error messages say what was expected and what was found, in JSON's words, without quoting strings", () => {
  const message = (line) => decodeClientMessage(line, new PendingRequests()).error.message;
  assert.equal(message('{"id":1,"method":"thread/list","params":{"limit":0}}'),
    "expected an integer from 1 to 4294967295, found 0 at `params.limit`");
  assert.equal(message('{"id":1,"method":"thread/archive","params":{}}'),
    "missing required member `threadId` at `params.threadId`");
  assert.equal(message('{"id":1,"method":"thread/start","params":{"approvalPolicy":"on-request"}}'),
    'expected one of "unlessTrusted", "onFailure", "onRequest", "never", found a string at `params.approvalPolicy`');
  assert.equal(message('{"id":1,"method":"account/login/start","params":{"type":"apiKey","apiKey":42}}'),
    "expected a string, found 42 at `params.apiKey`");
  const secret = message('{"id":1,"method":"account/login/start","params":{"type":"apiKey","apiKey":{"k":"sk-secret-value"}}}');
  assert.ok(!secret.includes("sk-secret-value"), secret);
});
