// A bounded buffer of received messages read as an async iterator: what a transport whose
// source cannot be paused (a WebSocket) hands the client. Past its capacity the transport is
// failed rather than the buffer grown.

/** Messages pushed by a source, read once by one reader; `fail` ends it with an error. */
export class MessageBuffer {
  #items = [];
  #capacity;
  #reader = null;
  #end = null;

  constructor(capacity) {
    this.#capacity = capacity;
  }

  /** Adds a message; false when the buffer is full (the message is not kept). */
  push(message) {
    if (this.#end !== null) return true;
    if (this.#reader !== null) {
      const { resolve } = this.#reader;
      this.#reader = null;
      resolve({ value: message, done: false });
      return true;
    }
    if (this.#items.length >= this.#capacity) return false;
    this.#items.push(message);
    return true;
  }

  /** Ends the messages: after those buffered, the reader sees the end, or `error` thrown. */
  finish(error) {
    if (this.#end !== null) return;
    this.#end = { error };
    if (this.#reader !== null && this.#items.length === 0) {
      const reader = this.#reader;
      this.#reader = null;
      if (error === undefined) reader.resolve({ value: undefined, done: true });
      else reader.reject(error);
    }
  }

  next() {
    if (this.#items.length > 0) return Promise.resolve({ value: this.#items.shift(), done: false });
    if (this.#end !== null) {
      return this.#end.error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.#end.error);
    }
    return new Promise((resolve, reject) => (this.#reader = { resolve, reject }));
  }

  return() {
    this.#items.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
