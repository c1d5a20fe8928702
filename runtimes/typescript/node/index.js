// The Node transports: JSON Lines over a pair of streams, and over a child process's stdio
// (the app server started as `codex app-server`, or the mock). Node only: the browser path
// (`@app-server/protocol`) never imports this entry point.

import { spawn } from "node:child_process";
import { once } from "node:events";

/** The largest line read, in UTF-8 bytes, unless told otherwise: 16 MiB. */
const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The lines of `readable` (a byte stream), without their line ends. At most one line of
 * `maxLineBytes` is held: a longer one is skipped (`onSkipped` is told its size) up to its end.
 * Reading is pulled: while the consumer does not ask for the next line, the stream is paused.
 */
export async function* readLines(readable, options = {}) {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder();
  let held = [];
  let heldBytes = 0;
  let skipping = false;
  for await (const chunk of readable) {
    let bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    for (let end = bytes.indexOf(10); ; end = bytes.indexOf(10)) {
      const piece = end < 0 ? bytes : bytes.subarray(0, end);
      if (!skipping && heldBytes + piece.length > max) {
        skipping = true;
        held = [];
      }
      if (skipping) heldBytes += piece.length;
      else {
        held.push(piece);
        heldBytes += piece.length;
      }
      if (end < 0) break;
      if (skipping) options.onSkipped?.(heldBytes);
      else {
        const line = decoder.decode(concat(held, heldBytes)).replace(/\r$/, "");
        if (line.length > 0) yield line;
      }
      held = [];
      heldBytes = 0;
      skipping = false;
      bytes = bytes.subarray(end + 1);
    }
  }
  if (!skipping && heldBytes > 0) {
    const line = decoder.decode(concat(held, heldBytes)).replace(/\r$/, "");
    if (line.length > 0) yield line;
  }
}

function concat(pieces, length) {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/**
 * A `Transport` of JSON Lines over `readable` (what the server writes) and `writable` (what it
 * reads): each message one line. Sending waits for `drain` when the stream's buffer is full.
 * Closing ends `writable` (a server exits when its input closes).
 */
export function streamTransport(readable, writable, options = {}) {
  let closed = false;
  return {
    messages: readLines(readable, options),
    async send(message) {
      if (closed || writable.writableEnded || writable.destroyed) throw new Error("the stream is closed");
      if (!writable.write(`${message}\n`)) await once(writable, "drain");
    },
    close() {
      if (closed) return;
      closed = true;
      writable.end();
    },
  };
}

/**
 * Starts `command` with `args` and returns a `Transport` over its stdio (its stderr is
 * inherited unless `options.stdio` says otherwise), and the child. Closing the transport ends
 * the child's input; the child is killed `killAfterMs` (default 5000) later if it has not
 * exited by then.
 */
export function spawnTransport(command, args = [], options = {}) {
  const { killAfterMs = 5000, stderr = "inherit", maxLineBytes, onSkipped, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ["pipe", "pipe", stderr] });
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
  });
  // A child that cannot start ends its stdout: the client sees the connection close.
  child.stdin.on("error", () => {});
  const lines = streamTransport(child.stdout, child.stdin, { maxLineBytes, onSkipped });
  let closing = false;
  // The messages end with the child's output; a child that could not start ends them with why.
  async function* messages() {
    yield* lines.messages;
    const settled = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000, null))]);
    if (settled?.error !== undefined) throw settled.error;
  }
  return {
    child,
    exited,
    transport: {
      messages: messages(),
      send: (message) => lines.send(message),
      close() {
        if (closing) return;
        closing = true;
        lines.close();
        const timer = setTimeout(() => child.kill(), killAfterMs);
        exited.then(() => clearTimeout(timer));
      },
    },
  };
}
