import type { ClientNotificationMethods, ClientRequestMethods, JsonRpcError, NotificationOf, RequestOf, ServerNotificationMethods, ServerRequestMethods } from "../methods.js";
import type { DecodeError, UnknownNotification } from "./decode.js";

/**
 * What a `Client` talks over: messages in (one JSON-RPC message each, as text without a line
 * end) and out. Any duplex of lines or messages fits: `webSocketTransport` (browser, Node with
 * a WebSocket), `spawnTransport` / `streamTransport` of `@app-server/protocol/node` (JSON Lines).
 */
export interface Transport {
  /**
   * The messages received, in order, read by the client alone. It pulls the next one only when
   * it has room (backpressure); the iterator ends when the other end closes, or throws when the
   * transport fails.
   */
  readonly messages: AsyncIterable<string>;
  /** Sends one message; a returned promise holds the client's next send back until it settles. */
  send(message: string): void | Promise<void>;
  /** Closes the transport; the messages then end. Called more than once, it does nothing more. */
  close(): void | Promise<void>;
}

/** Options of a `Client`. */
export interface ClientOptions {
  /** The timeout of each call in milliseconds unless the call says otherwise; 0 (the default): none. */
  timeoutMs?: number;
  /** The capacity of each `notifications()` iterator unless it says otherwise (default 1024). */
  notificationCapacity?: number;
  /** The most server requests handled at once (default 16); past it the client stops reading. */
  maxConcurrentHandlers?: number;
  /** The largest message decoded, in UTF-8 bytes (default `DEFAULT_MAX_MESSAGE_BYTES`). */
  maxMessageBytes?: number;
  /**
   * Told of every line the decoder refused (after which the client does what the refusal
   * calls for: rejects the call it answers, hands an invalid notification on, answers a
   * request with the error).
   */
  onBadLine?: (error: DecodeError) => void;
  /** Told of an error thrown by a notification listener (default: rethrown on its own, uncaught). */
  onListenerError?: (error: unknown) => void;
}

/** Options of one call. */
export interface CallOptions {
  /** Rejects the call with a `TimeoutError` when no answer came within this many milliseconds. */
  timeoutMs?: number;
  /** Rejects the call with a `CancelledError` when the signal fires. */
  signal?: AbortSignal;
}

/** A method the client may call. */
export type RequestMethod = keyof ClientRequestMethods & string;
/** The params of a request of `M`. */
export type RequestParams<M extends RequestMethod> = ClientRequestMethods[M]["params"];
/** The result of a request of `M`. */
export type RequestResult<M extends RequestMethod> = ClientRequestMethods[M]["result"];
/**
 * The arguments of `request(method, …)` after the method: params (left out for a method
 * without params, optional when none of their members is required) and the call's options.
 */
export type RequestArgs<M extends RequestMethod> = RequestParams<M> extends undefined
  ? [params?: undefined, options?: CallOptions]
  : {} extends RequestParams<M>
    ? [params?: RequestParams<M>, options?: CallOptions]
    : [params: RequestParams<M>, options?: CallOptions];

/** A request the server sends (an approval, say). */
export type IncomingRequestMethod = keyof ServerRequestMethods & string;
/** What the client answers a server request of `M` with. */
export type ServerRequestAnswer<M extends IncomingRequestMethod> = ServerRequestMethods[M]["result"];
/** A handler of server requests of `M`: its return value (or promise) is the answer. */
export type ServerRequestHandler<M extends IncomingRequestMethod> = (
  params: ServerRequestMethods[M]["params"],
  request: RequestOf<ServerRequestMethods, M>,
) => ServerRequestAnswer<M> | Promise<ServerRequestAnswer<M>>;

/** A notification method the server sends. */
export type NotificationMethod = keyof ServerNotificationMethods & string;
/** The params of a notification of `M`. */
export type NotificationParams<M extends NotificationMethod> = ServerNotificationMethods[M]["params"];

/**
 * A notification the server sent, as the client hands it on. Narrow on `kind`, then `method`:
 * - `notification`: one this package knows, decoded and typed by its method;
 * - `unknown`: one no table knows (a newer server's), with its method and raw params;
 * - `invalid`: one the decoder refused (it breaks the contract), with its method and why:
 *   a loop waiting for `turn/completed` still learns that one came.
 */
export type NotificationItem =
  | { [M in NotificationMethod]: { kind: "notification"; method: M; notification: NotificationOf<ServerNotificationMethods, M> } }[NotificationMethod]
  | { kind: "unknown"; method: string; notification: UnknownNotification }
  | { kind: "invalid"; method: string; error: DecodeError };

/** Options of a notification iterator. */
export interface NotificationsOptions {
  /** The items it holds before the client stops reading (default: the client's `notificationCapacity`). */
  capacity?: number;
  /** Ends the iterator when it fires. */
  signal?: AbortSignal;
}

/** The base of the errors a `Client` rejects a call with. */
export declare class ClientError extends Error {
  /** The method of the call, or `null` when the error is not a call's. */
  readonly method: string | null;
}
/** The connection is closed: the other end closed it, the transport failed (`cause`), or `close()` was called. */
export declare class ClosedError extends ClientError {}
/** No answer came within the call's timeout. */
export declare class TimeoutError extends ClientError {
  /** The timeout that passed, in milliseconds. */
  readonly timeoutMs: number;
}
/** The call's `AbortSignal` fired. */
export declare class CancelledError extends ClientError {
  /** The signal's reason. */
  readonly reason: unknown;
}
/** The server answered the call with a JSON-RPC error. */
export declare class ServerError extends ClientError {
  /** The JSON-RPC error code. */
  readonly code: number;
  /** The error's `data`, when it has one. */
  readonly data: unknown;
  /** The error object as the server sent it. */
  readonly error: JsonRpcError;
}

/**
 * A client of the app server: typed requests, handlers for the server's requests, and the
 * server's notifications as events and as bounded async iterators. It starts reading its
 * transport at once; when the other end closes, every call still waiting is rejected with a
 * `ClosedError`. A result that breaks the contract rejects its call with the `DecodeError`.
 */
export declare class Client {
  constructor(transport: Transport, options?: ClientOptions);
  /** Whether the connection is closed. */
  readonly isClosed: boolean;
  /** Settles once the connection is closed: with the transport's error, or `undefined` for a clean close. */
  readonly closed: Promise<unknown>;
  /**
   * Sends a request of `method` and resolves with its result, typed by the method. Rejects
   * with a `ServerError` (an error answer), a `DecodeError` (a result that breaks the
   * contract), a `TimeoutError`, a `CancelledError` or a `ClosedError`.
   */
  request<M extends RequestMethod>(method: M, ...args: RequestArgs<M>): Promise<RequestResult<M>>;
  /** Sends a notification of `method` (e.g. `initialized` after the `initialize` answer). */
  notify<M extends keyof ClientNotificationMethods & string>(
    method: M,
    ...params: ClientNotificationMethods[M]["params"] extends undefined ? [] : [params: ClientNotificationMethods[M]["params"]]
  ): Promise<void>;
  /**
   * Answers the server's requests of `method` with `handler` (one per method; a later one
   * replaces it). A request without a handler is answered -32601; a handler that throws, -32603
   * with its message. Returns a function that removes the handler.
   */
  handle<M extends IncomingRequestMethod>(method: M, handler: ServerRequestHandler<M>): () => void;
  /** Calls `listener` with the params of each notification of `method`; returns a function that removes it. */
  on<M extends NotificationMethod>(
    method: M,
    listener: (params: NotificationParams<M>, notification: NotificationOf<ServerNotificationMethods, M>) => void,
  ): () => void;
  /** Calls `listener` with every notification item: known, unknown and invalid ones. Returns a function that removes it. */
  onNotification(listener: (item: NotificationItem) => void): () => void;
  /**
   * The notification items from now on, as an async iterator with a bounded buffer: while it is
   * full, the client stops reading (the transport holds the server back). It ends after the
   * items already received once the connection closes, or when `signal` fires or the loop breaks.
   */
  notifications(options?: NotificationsOptions): AsyncIterableIterator<NotificationItem>;
  /** Closes the connection: every call still waiting is rejected with a `ClosedError`. */
  close(): Promise<void>;
}
