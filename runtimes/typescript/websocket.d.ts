import type { Transport } from "./client.js";

/** What `webSocketTransport` needs of a WebSocket: the browser's interface (also Node 22's global one, and the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "error", listener: () => void, options?: { once?: boolean }): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void, options?: { once?: boolean }): void;
}

/** Options of `webSocketTransport`. */
export interface WebSocketTransportOptions {
  /** Sending waits while the socket's `bufferedAmount` is above this many bytes (default 1 MiB). */
  highWaterMark?: number;
  /** The received messages held before the client reads them (default 10000); past it the socket is closed with an error. */
  capacity?: number;
}

/** Why a WebSocket transport ended with an error (the `cause` of the client's `ClosedError`). */
export declare class TransportError extends Error {}

/**
 * A `Transport` over a WebSocket (one JSON-RPC message per text frame): `socket` is an open or
 * opening WebSocket, or a `ws://` URL opened with the global `WebSocket` (browsers, Node 22).
 */
export declare function webSocketTransport(socket: WebSocketLike | string | URL, options?: WebSocketTransportOptions): Transport;
