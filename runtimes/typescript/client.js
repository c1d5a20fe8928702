// The client session over any transport of messages: ids and the pending table, typed answers,
// handlers for the server's requests (approvals), notifications as events and as bounded
// async iterators, per-call timeout and cancellation, and every waiter rejected when the other
// end closes. Browser-safe: it imports nothing of Node (the child-process transport is the
// `/node` entry point's).

import { DecodeError, PendingRequests, decodeServerMessage } from "./decode.js";

/** The base of the errors a `Client` rejects a call with: the method of the call, when any. */
export class ClientError extends Error {
  constructor(message, method, options) {
    super(message, options);
    this.name = "ClientError";
    this.method = method;
  }
}

/** The connection is closed (the other end closed it, it failed, or `close()` was called). */
export class ClosedError extends ClientError {
  constructor(method, cause) {
    super(`${method === null ? "the client" : `\`${method}\``}: the connection is closed`, method, cause === undefined ? undefined : { cause });
    this.name = "ClosedError";
  }
}

/** No answer came within the call's timeout. */
export class TimeoutError extends ClientError {
  constructor(method, timeoutMs) {
    super(`\`${method}\`: no answer within ${timeoutMs} ms`, method);
    this.name = "TimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/** The call's `AbortSignal` fired; `reason` is the signal's. */
export class CancelledError extends ClientError {
  constructor(method, reason) {
    super(`\`${method}\`: cancelled`, method, { cause: reason });
    this.name = "CancelledError";
    this.reason = reason;
  }
}

/** The server answered the call with a JSON-RPC error. */
export class ServerError extends ClientError {
  constructor(method, error) {
    super(`\`${method}\` failed: ${error.message} (${error.code})`, method);
    this.name = "ServerError";
    this.code = error.code;
    this.data = error.data;
    this.error = error;
  }
}

const DEFAULTS = { timeoutMs: 0, notificationCapacity: 1024, maxConcurrentHandlers: 16 };

/**
 * The client's options with their defaults (client.d.ts documents them).
 * @typedef {typeof DEFAULTS & {
 *   maxMessageBytes?: number,
 *   onBadLine?: (error: DecodeError) => void,
 *   onListenerError?: (error: unknown) => void,
 * }} Options
 */

/** A client of the app server over `transport` (see `Transport`). It starts reading at once. */
export class Client {
  #transport;
  #options;
  #pending = new PendingRequests();
  #waiting = new Map();
  #handlers = new Map();
  #listeners = new Set();
  #byMethod = new Map();
  #queues = new Set();
  #writing = Promise.resolve();
  #handling = 0;
  #room = null;
  #closed = null;
  #closeReason = undefined;
  #done;

  constructor(transport, options = {}) {
    this.#transport = transport;
    this.#options = /** @type {Options} */ ({ ...DEFAULTS, ...options });
    this.#done = this.#read().then(
      () => this.#shut(undefined),
      (error) => this.#shut(error),
    );
  }

  /** Whether the connection is closed. */
  get isClosed() {
    return this.#closed !== null;
  }

  /** Settles once the connection is closed: with the error that closed it, or undefined. */
  get closed() {
    return this.#done.then(() => this.#closeReason);
  }

  /** Sends a request; resolves with its typed result. */
  request(method, params, options = {}) {
    if (this.#closed !== null) return Promise.reject(new ClosedError(method, this.#closeReason));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new CancelledError(method, signal.reason));
    const id = this.#pending.nextId();
    this.#pending.register(id, method);
    const message = params === undefined ? { id, method } : { id, method, params };
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
      const finish = () => {
        this.#waiting.delete(id);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      // A call given up keeps its entry in the pending table: a late answer is then dropped quietly.
      const onAbort = () => {
        finish();
        reject(new CancelledError(method, signal.reason));
      };
      const timer = timeoutMs > 0 ? setTimeout(() => {
        finish();
        reject(new TimeoutError(method, timeoutMs));
      }, timeoutMs) : undefined;
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.set(id, {
        method,
        resolve: (value) => { finish(); resolve(value); },
        reject: (error) => { finish(); reject(error); },
      });
      this.#send(message).catch((error) => this.#waiting.get(id)?.reject(new ClosedError(method, error)));
    });
  }

  /** Sends a notification. */
  notify(method, params) {
    if (this.#closed !== null) return Promise.reject(new ClosedError(method, this.#closeReason));
    return this.#send(params === undefined ? { method } : { method, params });
  }

  /** Answers the server's requests of `method` with `handler`; returns a function that removes it. */
  handle(method, handler) {
    this.#handlers.set(method, handler);
    return () => {
      if (this.#handlers.get(method) === handler) this.#handlers.delete(method);
    };
  }

  /** Calls `listener` with each notification of `method` (known to this package); returns a function that removes it. */
  on(method, listener) {
    let set = this.#byMethod.get(method);
    if (set === undefined) this.#byMethod.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Calls `listener` with every notification item (known, unknown, invalid); returns a function that removes it. */
  onNotification(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The notification items from now on, as an async iterator with a bounded buffer: while it
   * is full, the client stops reading (the transport holds the server back). It ends when
   * the connection closes, after the items already received, or when `signal` fires.
   */
  notifications(options = {}) {
    const queue = new NotificationQueue(options.capacity ?? this.#options.notificationCapacity, () => this.#wake(), (q) => this.#queues.delete(q));
    if (this.#closed !== null) queue.end();
    else this.#queues.add(queue);
    options.signal?.addEventListener("abort", () => queue.end(), { once: true });
    return queue;
  }

  /** Closes the connection: every call still waiting is rejected with a `ClosedError`. */
  async close() {
    this.#shut(undefined);
    await this.#transport.close();
  }

  #send(message) {
    const line = JSON.stringify(message);
    const sent = this.#writing.then(() => {
      if (this.#closed !== null) throw new ClosedError(message.method ?? null, this.#closeReason);
      return this.#transport.send(line);
    });
    this.#writing = sent.catch(() => {});
    return sent;
  }

  async #read() {
    for await (const line of this.#transport.messages) {
      if (this.#closed !== null) return;
      this.#receive(line);
      while (this.#closed === null && !this.#hasRoom()) {
        await new Promise((resolve) => (this.#room = resolve));
      }
    }
  }

  #hasRoom() {
    if (this.#handling >= this.#options.maxConcurrentHandlers) return false;
    for (const queue of this.#queues) if (queue.full) return false;
    return true;
  }

  #wake() {
    const room = this.#room;
    this.#room = null;
    room?.();
  }

  #receive(line) {
    const decoded = decodeServerMessage(line, this.#pending, { maxMessageBytes: this.#options.maxMessageBytes });
    if (!decoded.ok) {
      this.#refused(decoded.error);
      return;
    }
    switch (decoded.kind) {
      case "response":
        this.#waiting.get(decoded.message.id)?.resolve(decoded.message.result);
        return;
      case "error":
        this.#waiting.get(decoded.message.id)?.reject(new ServerError(decoded.method, decoded.message.error));
        return;
      case "request":
        this.#serve(decoded.method, decoded.message);
        return;
      default:
        this.#deliver(decoded.kind === "notification"
          ? { kind: "notification", method: decoded.method, notification: decoded.message }
          : { kind: "unknown", method: decoded.method, notification: decoded.message });
    }
  }

  // A refused line: an answer rejects its call; a notification is handed on as invalid; a
  // request is answered with the error; anything else goes to `onBadLine`.
  #refused(error) {
    this.#options.onBadLine?.(error);
    const waiter = error.id === null || error.request ? undefined : this.#waiting.get(error.id);
    if (waiter !== undefined && error.method !== null) {
      waiter.reject(error);
      return;
    }
    if (error.notificationMethod !== null) {
      this.#deliver({ kind: "invalid", method: error.notificationMethod, error });
      return;
    }
    const reply = error.toErrorResponse();
    if (reply !== null) this.#send(reply).catch(() => {});
  }

  #deliver(item) {
    if (item.kind === "notification") {
      for (const listener of this.#byMethod.get(item.method) ?? []) this.#call(listener, item.notification.params, item.notification);
    }
    for (const listener of this.#listeners) this.#call(listener, item);
    for (const queue of this.#queues) queue.push(item);
  }

  #call(listener, ...args) {
    try {
      listener(...args);
    } catch (error) {
      // A listener's failure is its own: reported, never the end of the connection.
      const report = this.#options.onListenerError;
      if (report !== undefined) report(error);
      else queueMicrotask(() => { throw error; });
    }
  }

  async #serve(method, request) {
    const handler = this.#handlers.get(method);
    if (handler === undefined) {
      this.#send({ id: request.id, error: { code: -32601, message: `no handler for \`${method}\` in this client` } }).catch(() => {});
      return;
    }
    this.#handling++;
    try {
      const result = await handler(request.params, request);
      await this.#send({ id: request.id, result });
    } catch (error) {
      if (error instanceof ClosedError) return;
      const message = error instanceof Error ? error.message : String(error);
      this.#send({ id: request.id, error: { code: -32603, message } }).catch(() => {});
    } finally {
      this.#handling--;
      this.#wake();
    }
  }

  #shut(reason) {
    if (this.#closed !== null) return;
    this.#closed = true;
    this.#closeReason = reason;
    for (const waiter of [...this.#waiting.values()]) waiter.reject(new ClosedError(waiter.method, reason));
    for (const queue of this.#queues) queue.end();
    this.#queues.clear();
    this.#wake();
    Promise.resolve().then(() => this.#transport.close()).catch(() => {});
  }
}

/** A bounded buffer of notification items read as an async iterator. */
class NotificationQueue {
  #items = [];
  #capacity;
  #onTake;
  #onEnd;
  #ended = false;
  #reader = null;

  constructor(capacity, onTake, onEnd) {
    if (!(capacity >= 1)) throw new RangeError("a notification queue holds at least one item");
    this.#capacity = capacity;
    this.#onTake = onTake;
    this.#onEnd = onEnd;
  }

  get full() {
    return !this.#ended && this.#items.length >= this.#capacity;
  }

  push(item) {
    if (this.#ended) return;
    if (this.#reader !== null) {
      const reader = this.#reader;
      this.#reader = null;
      reader({ value: item, done: false });
      return;
    }
    this.#items.push(item);
  }

  end() {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd(this);
    this.#onTake();
    if (this.#reader !== null && this.#items.length === 0) {
      const reader = this.#reader;
      this.#reader = null;
      reader({ value: undefined, done: true });
    }
  }

  next() {
    if (this.#items.length > 0) {
      const value = this.#items.shift();
      this.#onTake();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    if (this.#reader !== null) return Promise.reject(new Error("one reader at a time"));
    return new Promise((resolve) => (this.#reader = resolve));
  }

  return() {
    this.#items.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
