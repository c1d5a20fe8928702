// The package's `Client` over an in-memory transport whose other end the test plays: typed
// answers and errors, timeouts and cancellation, the other end closing, server requests and
// their handlers, notifications (known, unknown, invalid) as events and as bounded iterators
// with backpressure, a result that breaks the contract, and the WebSocket transport over an
// object with the browser's WebSocket interface. Every wait is bounded by the test timeout.

import assert from "node:assert/strict";
import { test } from "node:test";

import { CancelledError, Client, ClosedError, DecodeError, ServerError, TimeoutError, webSocketTransport } from "@app-server/protocol";
import { readLines } from "@app-server/protocol/node";

/** A transport whose server end the test drives: `sent` (parsed), `reply`, `end`, `pulled`. */
function pair() {
  const inbox = [];
  let waiter = null;
  let ended = false;
  const server = {
    sent: [],
    pulled: 0,
    closed: false,
    onSend: null,
    reply(message) {
      const line = typeof message === "string" ? message : JSON.stringify(message);
      if (waiter !== null) {
        const w = waiter;
        waiter = null;
        w({ value: line, done: false });
      } else inbox.push(line);
    },
    end() {
      ended = true;
      if (waiter !== null) waiter({ value: undefined, done: true });
    },
  };
  const transport = {
    messages: {
      [Symbol.asyncIterator]() {
        return {
          next() {
            server.pulled++;
            if (inbox.length > 0) return Promise.resolve({ value: inbox.shift(), done: false });
            if (ended) return Promise.resolve({ value: undefined, done: true });
            return new Promise((resolve) => (waiter = resolve));
          },
        };
      },
    },
    send(line) {
      const message = JSON.parse(line);
      server.sent.push(message);
      server.onSend?.(message);
    },
    close() {
      server.closed = true;
      server.end();
    },
  };
  return { transport, server };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
async function until(condition) {
  while (!condition()) await tick();
}

test("a request resolves with its typed result; params are left out when not given", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  server.onSend = (m) => m.method === "thread/list" && server.reply({ id: m.id, result: { data: [], nextCursor: null } });
  const result = await client.request("thread/list");
  assert.deepEqual(result, { data: [], nextCursor: null });
  assert.deepEqual(server.sent, [{ id: 1, method: "thread/list" }]);
  await client.close();
});

test("an error answer rejects with a ServerError carrying code and data", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  server.onSend = (m) => server.reply({ id: m.id, error: { code: -32602, message: "bad", data: { path: "params.limit" } } });
  const failure = await client.request("thread/list", { limit: 0 }).catch((e) => e);
  assert.ok(failure instanceof ServerError);
  assert.equal(failure.code, -32602);
  assert.deepEqual(failure.data, { path: "params.limit" });
  assert.equal(failure.method, "thread/list");
  await client.close();
});

test("a result that breaks the contract rejects its call with the DecodeError (path, method)", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  server.onSend = (m) => server.reply({ id: m.id, result: { data: "no", nextCursor: null } });
  const failure = await client.request("thread/list").catch((e) => e);
  assert.ok(failure instanceof DecodeError, String(failure));
  assert.equal(failure.code, -32603);
  assert.equal(failure.path, "result.data");
  assert.equal(failure.method, "thread/list");
  await client.close();
});

test("timeout and cancellation reject the call; a late answer is dropped quietly", async () => {
  const { transport, server } = pair();
  const bad = [];
  const client = new Client(transport, { onBadLine: (e) => bad.push(e) });
  const timedOut = await client.request("thread/list", undefined, { timeoutMs: 20 }).catch((e) => e);
  assert.ok(timedOut instanceof TimeoutError);
  assert.equal(timedOut.timeoutMs, 20);
  const controller = new AbortController();
  const call = client.request("thread/list", {}, { signal: controller.signal });
  controller.abort("user pressed stop");
  const cancelled = await call.catch((e) => e);
  assert.ok(cancelled instanceof CancelledError);
  assert.equal(cancelled.reason, "user pressed stop");
  for (const { id } of server.sent) server.reply({ id, result: { data: [], nextCursor: null } });
  await tick();
  assert.deepEqual(bad, [], "late answers are not bad lines");
  const already = new AbortController();
  already.abort();
  assert.ok((await client.request("thread/list", {}, { signal: already.signal }).catch((e) => e)) instanceof CancelledError);
  await client.close();
});

test("the other end closing rejects every pending call with a ClosedError, and later calls too", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  const calls = [client.request("thread/list"), client.request("model/list", {})];
  await until(() => server.sent.length === 2);
  server.end();
  for (const call of calls) {
    const failure = await call.catch((e) => e);
    assert.ok(failure instanceof ClosedError, String(failure));
  }
  assert.equal(await client.closed, undefined);
  assert.equal(client.isClosed, true);
  assert.ok((await client.request("thread/list").catch((e) => e)) instanceof ClosedError);
  assert.ok((await client.notify("initialized").catch((e) => e)) instanceof ClosedError);
});

test("server requests: a handler's return value is the answer; none is -32601; a throw is -32603", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  const seen = [];
  client.handle("item/commandExecution/requestApproval", (params, request) => {
    seen.push([params.itemId, request.id]);
    return { decision: "accept" };
  });
  const remove = client.handle("item/fileChange/requestApproval", () => {
    throw new Error("the user closed the dialog");
  });
  const approval = { threadId: "thr", turnId: "turn", itemId: "item_1", reason: null };
  server.reply({ id: "s1", method: "item/commandExecution/requestApproval", params: approval });
  server.reply({ id: "s2", method: "item/fileChange/requestApproval", params: { threadId: "thr", turnId: "turn", itemId: "item_2" } });
  server.reply({ id: "s3", method: "execCommandApproval", params: { conversationId: "019aa0c2-5d1e-7c43-9b8f-2f6a1e4d7c90", callId: "x", command: ["ls"], cwd: "/", reason: null, parsedCmd: [] } });
  await until(() => server.sent.length === 3);
  const byId = Object.fromEntries(server.sent.map((m) => [m.id, m]));
  assert.deepEqual(byId.s1, { id: "s1", result: { decision: "accept" } });
  assert.equal(byId.s2.error.code, -32603);
  assert.equal(byId.s2.error.message, "the user closed the dialog");
  assert.equal(byId.s3.error.code, -32601);
  assert.deepEqual(seen, [["item_1", "s1"]]);
  remove();
  server.reply({ id: "s4", method: "item/fileChange/requestApproval", params: { threadId: "thr", turnId: "turn", itemId: "item_3" } });
  await until(() => server.sent.length === 4);
  assert.equal(server.sent[3].error.code, -32601);
  await client.close();
});

test("notifications: events by method, and an iterator of known, unknown and invalid items", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  const deltas = [];
  client.on("item/agentMessage/delta", (params) => deltas.push(params.delta));
  const all = [];
  client.onNotification((item) => all.push(item.kind));
  const items = client.notifications();
  server.reply({ method: "item/agentMessage/delta", params: { threadId: "t", turnId: "u", itemId: "i", delta: "Hel" } });
  server.reply({ method: "thread/tokenUsage/updated", params: { threadId: "t" } });
  server.reply({ method: "turn/completed", params: { turn: { id: "u", status: "completed" } } });
  const got = [];
  for await (const item of items) {
    got.push(item);
    if (got.length === 3) break;
  }
  assert.deepEqual(deltas, ["Hel"]);
  assert.deepEqual(all, ["notification", "unknown", "invalid"]);
  assert.equal(got[0].kind, "notification");
  assert.equal(got[0].method, "item/agentMessage/delta");
  assert.equal(got[1].kind, "unknown");
  assert.deepEqual(got[1].notification, { method: "thread/tokenUsage/updated", params: { threadId: "t" } });
  assert.equal(got[2].kind, "invalid");
  assert.equal(got[2].method, "turn/completed");
  assert.equal(got[2].error.path, "params.threadId");
  await client.close();
});

test("backpressure: a full iterator stops the reading until it is read", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  const items = client.notifications({ capacity: 2 });
  for (let i = 0; i < 6; i++) server.reply({ method: "thread/tokenUsage/updated", params: { n: i } });
  await tick();
  // Two held: the rest wait in the transport.
  assert.equal(server.pulled, 2);
  const first = await items.next();
  assert.deepEqual(first.value.notification.params, { n: 0 });
  await tick();
  assert.equal(server.pulled, 3);
  await items.return();
  await tick();
  assert.equal(server.pulled, 7, "once the iterator is gone, the reading goes on");
  await client.close();
});

test("an iterator ends after its items when the connection closes", async () => {
  const { transport, server } = pair();
  const client = new Client(transport);
  const items = client.notifications();
  server.reply({ method: "thread/tokenUsage/updated", params: {} });
  server.end();
  const kinds = [];
  for await (const item of items) kinds.push(item.kind);
  assert.deepEqual(kinds, ["unknown"]);
});

/** An object with the browser's WebSocket interface whose server end the test plays. */
class FakeSocket extends EventTarget {
  readyState = 0;
  bufferedAmount = 0;
  frames = [];
  send(data) {
    this.frames.push(data);
  }
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event("open"));
  }
  receive(data) {
    this.dispatchEvent(Object.assign(new Event("message"), { data }));
  }
  close(code = 1005, reason = "") {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event("close"), { code, reason }));
  }
}

test("the WebSocket transport: waits for open, one message per text frame, a clean close ends it", async () => {
  const socket = new FakeSocket();
  const client = new Client(webSocketTransport(socket));
  const call = client.request("thread/list");
  await tick();
  assert.deepEqual(socket.frames, [], "nothing is sent before the socket opens");
  socket.open();
  await until(() => socket.frames.length === 1);
  assert.deepEqual(JSON.parse(socket.frames[0]), { id: 1, method: "thread/list" });
  socket.receive(JSON.stringify({ id: 1, result: { data: [], nextCursor: null } }));
  assert.deepEqual(await call, { data: [], nextCursor: null });
  const waiting = client.request("thread/list");
  socket.close(1000);
  assert.ok((await waiting.catch((e) => e)) instanceof ClosedError);
  assert.equal(await client.closed, undefined, "a clean close is no error");
});

test("the WebSocket transport: an abnormal close, a binary frame or a full buffer close the client with the reason", async () => {
  const abnormal = new FakeSocket();
  const first = new Client(webSocketTransport(abnormal));
  abnormal.open();
  const call = first.request("thread/list");
  abnormal.close(1011, "server error");
  const failure = await call.catch((e) => e);
  assert.ok(failure instanceof ClosedError);
  assert.match(String((await first.closed).message), /1011 server error/);

  const binary = new FakeSocket();
  const second = new Client(webSocketTransport(binary));
  binary.open();
  binary.receive(new Uint8Array([1, 2]));
  assert.match(String((await second.closed).message), /binary frame/);

  // A reader that never reads: past the transport's capacity the socket is failed, not grown.
  const flooded = new FakeSocket();
  const transport = webSocketTransport(flooded, { capacity: 3 });
  flooded.open();
  for (let i = 0; i < 5; i++) flooded.receive("{}");
  assert.equal(flooded.readyState, 3, "the socket was closed");
  const read = [];
  const failed = await (async () => {
    for await (const message of transport.messages) read.push(message);
  })().catch((e) => e);
  assert.deepEqual(read, ["{}", "{}", "{}"]);
  assert.match(String(failed.message), /more than 3 messages/);
});

test("readLines: lines of any chunking, CRLF, an overlong line skipped", async () => {
  async function* chunks() {
    yield new TextEncoder().encode('{"a":1}\r\n{"b"');
    yield ':2}\n' + "x".repeat(50) + "\n";
    yield new TextEncoder().encode("é\n\n");
    yield "tail";
  }
  const skipped = [];
  const lines = [];
  for await (const line of readLines(chunks(), { maxLineBytes: 20, onSkipped: (n) => skipped.push(n) })) lines.push(line);
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', "é", "tail"]);
  assert.deepEqual(skipped, [50]);
});

test("decode errors: -32700 quotes nothing of the line; a notification is no request; the method is kept", async () => {
  const { decodeServerMessage, decodeClientMessage, PendingRequests } = await import("@app-server/protocol");
  const secret = "sk-live-0123456789abcdef";
  const notJson = decodeServerMessage(`{"method":"x","params":{"key":"${secret}"`, new PendingRequests());
  assert.equal(notJson.ok, false);
  assert.equal(notJson.error.code, -32700);
  assert.ok(!notJson.error.message.includes(secret) && !notJson.error.message.includes("params"), notJson.error.message);
  const notification = decodeClientMessage('{"method":"initialized","params":{"a":[1}}', new PendingRequests());
  assert.equal(notification.error.code, -32700);
  const refusedNotification = decodeServerMessage('{"method":"turn/completed","params":{}}', new PendingRequests());
  assert.equal(refusedNotification.error.request, false);
  assert.equal(refusedNotification.error.notification, true);
  assert.equal(refusedNotification.error.method, "turn/completed");
  assert.equal(refusedNotification.error.toErrorResponse(), null);
  const refusedRequest = decodeClientMessage('{"id":7,"method":"thread/list","params":{"limit":"x"}}', new PendingRequests());
  assert.equal(refusedRequest.error.request, true);
  assert.equal(refusedRequest.error.method, "thread/list");
  assert.equal(refusedRequest.error.toErrorResponse().id, 7);
  const pending = new PendingRequests();
  pending.register(3, "thread/list");
  const refusedAnswer = decodeServerMessage('{"id":3,"result":{"data":1}}', pending);
  assert.equal(refusedAnswer.error.request, false);
  assert.equal(refusedAnswer.error.method, "thread/list");
});
