import type { ClientNotificationMethods, ClientRequestMethods, ErrorResponse, InputNotificationOf, InputRequestOf, NotificationOf, RequestOf, ResponseOf, ServerNotificationMethods, ServerRequestMethods } from "../methods.js";
import type { RequestId } from "../RequestId.js";

/** The JSON-RPC error codes the decoders report. */
export declare const ErrorCode: {
  /** -32700: the line is not JSON. */
  readonly ParseError: -32700;
  /** -32600: JSON, but not a message (or a message refused as a whole: a bad `id`, an answer to no pending request). */
  readonly InvalidRequest: -32600;
  /** -32601: a method this side does not receive. */
  readonly MethodNotFound: -32601;
  /** -32602: params that do not fit the method. */
  readonly InvalidParams: -32602;
  /** -32603: a result (or error object) that does not fit the answered method. */
  readonly InternalError: -32603;
};

/** The largest line the decoders parse, in UTF-8 bytes, unless told otherwise: 16 MiB. */
export declare const DEFAULT_MAX_MESSAGE_BYTES: number;

/**
 * Why a line was refused: the JSON-RPC code, the JSON path of the problem and what was
 * expected there — what the Rust decoder reports as `DecodeError`.
 */
export declare class DecodeError extends Error {
  /** The JSON-RPC error code (see `ErrorCode`). */
  readonly code: -32700 | -32600 | -32601 | -32602 | -32603;
  /** The JSON path of the offending member (`params.threadId`, `params.input[0].type`, `id`), or `null` when the line as a whole is at fault. */
  readonly path: string | null;
  /** What was expected at `path`, when known (`"string"`, `"an object"`). */
  readonly expected: string | null;
  /** The message without the path. */
  readonly detail: string;
  /** The refused message's `id`, when it could be read. */
  readonly id: RequestId | null;
  /** Whether the refused line is (meant as) a request, whose sender waits for an answer. */
  readonly request: boolean;
  /**
   * The method, when it could be read: the request's or notification's `method` as written,
   * or for an answer the method of the request it answers.
   */
  readonly method: string | null;
  /** Whether the refused line is a notification: a `method` and no `id` member. */
  readonly notification: boolean;
  /**
   * The method of a refused notification whose method could be read, else `null` (the Rust
   * `DecodeError::notification_method`). A client hands it on as an invalid notification: a
   * loop waiting for `turn/completed` learns that one came, even though it did not decode.
   */
  readonly notificationMethod: string | null;
  /**
   * The error response that answers the refused request (with `data: { path, expected }`), or
   * `null` when nobody waits for an answer (a notification, a response, an unreadable `id`).
   */
  toErrorResponse(): ErrorResponse | null;
}

/**
 * The requests one side has sent and not yet seen answered: id → method. Register each
 * request when sending it; the decoder takes the entry out when its answer arrives and types
 * the answer by the method.
 */
export declare class PendingRequests<M extends string = string> {
  /** A fresh integer id (1, 2, …) for the next request. */
  nextId(): number;
  /** Records a request sent with `id` and `method`, so that its answer is typed by `method`. */
  register(id: RequestId, method: M): void;
  /** Whether a request with `id` waits for its answer. */
  has(id: RequestId): boolean;
  /** The number of requests waiting. */
  readonly size: number;
  /** Takes the request with `id` out: its method, or `undefined` when none waits. */
  take(id: RequestId): M | undefined;
}

/** Options of the decoders. */
export interface DecodeOptions {
  /** The largest line parsed, in UTF-8 bytes (default `DEFAULT_MAX_MESSAGE_BYTES`); a longer one is -32600. */
  maxMessageBytes?: number;
}

/** A refused line. */
export type DecodeFailure = { ok: false; error: DecodeError };

type Requests<Map, Form extends "input" | "output"> = {
  [M in keyof Map & string]: {
    ok: true;
    kind: "request";
    method: M;
    message: Form extends "input" ? InputRequestOf<Map & Record<string, { params: unknown }>, M> : RequestOf<Map & Record<string, { params: unknown }>, M>;
  };
}[keyof Map & string];

type Notifications<Map, Form extends "input" | "output"> = {
  [M in keyof Map & string]: {
    ok: true;
    kind: "notification";
    method: M;
    message: Form extends "input" ? InputNotificationOf<Map & Record<string, { params: unknown }>, M> : NotificationOf<Map & Record<string, { params: unknown }>, M>;
  };
}[keyof Map & string];

type Answers<Map> =
  | {
      [M in keyof Map & string]: {
        ok: true;
        kind: "response";
        /** The method of the answered request. */
        method: M;
        message: ResponseOf<Map & Record<string, { result: unknown }>, M>;
      };
    }[keyof Map & string]
  | {
      ok: true;
      kind: "error";
      /** The method of the answered request. */
      method: keyof Map & string;
      message: ErrorResponse;
    };

/**
 * A line a client sent, decoded: a request or notification (aliases mapped to the canonical
 * method), or the answer to a request of the server, typed by its method. Narrow on `kind`,
 * then on `method`.
 */
export type DecodedClientMessage =
  | Requests<ClientRequestMethods, "input">
  | Notifications<ClientNotificationMethods, "input">
  | Answers<ServerRequestMethods>;

/**
 * A notification whose method no table of this package knows — a newer server's (adding a
 * notification is a change the compatibility rules call safe): its method and its params as
 * they came. Encoded again (`JSON.stringify(message)`), it is the same JSON value.
 */
export type UnknownNotification = {
  /** The method as it came, e.g. `"thread/tokenUsage/updated"`. */
  method: string;
  /** The params as they came (an object), left out when the line had none (or `null`). */
  params?: { [key: string]: unknown };
};

/**
 * A line the server sent, decoded: a request or notification, or the answer to a request of
 * the client, typed by its method; or a notification no table knows (`kind:
 * "unknownNotification"`), kept with its method and raw params. Narrow on `kind`, then on
 * `method`. (Only the client keeps unknown notifications: a server refuses a client's, -32601.)
 */
export type DecodedServerMessage =
  | Requests<ServerRequestMethods, "output">
  | Notifications<ServerNotificationMethods, "output">
  | { ok: true; kind: "unknownNotification"; method: string; message: UnknownNotification }
  | Answers<ClientRequestMethods>;

/** The requests a client has sent: what `decodeServerMessage` types responses by. */
export type ClientPendingRequests = PendingRequests<keyof ClientRequestMethods & string>;
/** The requests the server has sent: what `decodeClientMessage` types responses by. */
export type ServerPendingRequests = PendingRequests<keyof ServerRequestMethods & string>;

/**
 * Decodes one line a client sent (what a server calls), with the same contract as the Rust
 * `decode_client_message`: lenient on input (optional members may be left out, deprecated
 * method aliases are accepted and mapped to the canonical name, members it does not know are
 * ignored), refused with the JSON-RPC code and the JSON path of the first problem otherwise.
 * Never throws on bad input. `pending` holds the requests the server sent; an answer takes its
 * entry out.
 */
export declare function decodeClientMessage(
  line: string,
  pending: ServerPendingRequests,
  options?: DecodeOptions,
): DecodedClientMessage | DecodeFailure;

/**
 * Decodes one line the server sent (what a client calls), with the same contract as the Rust
 * `decode_server_message`. Never throws on bad input. `pending` holds the requests the client
 * sent: a response is typed by the method of the request it answers, and takes its entry out.
 * A notification of a method family (`codex/event/{type}`) is decoded under its full name,
 * which must end with the value its params name (`msg.type`); a notification no table knows
 * is kept as `kind: "unknownNotification"`.
 */
export declare function decodeServerMessage(
  line: string,
  pending: ClientPendingRequests,
  options?: DecodeOptions,
): DecodedServerMessage | DecodeFailure;

/** Whether `value` fits the decode contract's definition `def` (what the guards use). */
export declare function validates(def: string, value: unknown): boolean;
