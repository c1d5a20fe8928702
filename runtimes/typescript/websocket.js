// The WebSocket transport: one JSON-RPC message per text frame, over any object with the
// browser's WebSocket interface (the browser's own, Node 22's global one, or the `ws`
// package's on Node 20). Browser-safe: it imports nothing of Node.

import { MessageBuffer } from "./messages.js";

const OPEN = 1;
const CLOSING = 2;

/** Why a WebSocket transport ended with an error. */
export class TransportError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "TransportError";
  }
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A `Transport` over `socket` (a WebSocket, or a URL to open one with the global `WebSocket`).
 * Sending waits while the socket's `bufferedAmount` is above `highWaterMark` bytes; received
 * messages are buffered up to `capacity`, past which the socket is closed with an error (a
 * WebSocket cannot hold its sender back).
 */
export function webSocketTransport(socket, options = {}) {
  const ws = typeof socket === "string" || socket instanceof URL ? new globalThis.WebSocket(socket) : socket;
  const highWaterMark = options.highWaterMark ?? 1024 * 1024;
  const messages = new MessageBuffer(options.capacity ?? 10_000);
  const opened = new Promise((resolve, reject) => {
    if (ws.readyState === OPEN) resolve();
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("close", () => reject(new TransportError("the WebSocket closed before it opened")), { once: true });
  });
  opened.catch(() => {});
  ws.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      messages.finish(new TransportError("a binary frame: the protocol sends one JSON text per text frame"));
      ws.close(1003, "binary frames are not accepted");
      return;
    }
    if (!messages.push(event.data)) {
      messages.finish(new TransportError(`more than ${options.capacity ?? 10_000} messages waiting to be read`));
      ws.close(1008, "receive buffer full");
    }
  });
  ws.addEventListener("error", () => messages.finish(new TransportError("the WebSocket failed")));
  ws.addEventListener("close", (event) => {
    messages.finish(event.code === 1000 || event.code === 1005 ? undefined : new TransportError(`the WebSocket closed (${event.code}${event.reason ? ` ${event.reason}` : ""})`));
  });
  return {
    messages,
    async send(message) {
      await opened;
      while (ws.bufferedAmount > highWaterMark && ws.readyState === OPEN) await wait(5);
      if (ws.readyState !== OPEN) throw new TransportError("the WebSocket is closed");
      ws.send(message);
    },
    close() {
      if (ws.readyState < CLOSING) ws.close(1000);
      messages.finish();
    },
  };
}
