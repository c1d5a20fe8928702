import type { ClientMessage, ClientNotification, ClientRequest, ErrorResponse, ServerMessage, ServerNotification, ServerRequest } from "../methods.js";

/**
 * The member of `Union` whose `method` is `M`: for a name of a method family (whose `method` is
 * a template literal type, `` `codex/event/${string}` ``), the family's member with `method: M`.
 */
type OfMethod<Union, M> = Union extends { method: infer N } ? (M extends N ? Union & { method: M } : never) : never;

/** Whether a message a client sent is a request: narrows to `ClientRequest`. */
export declare function isClientRequest(message: ClientMessage): message is ClientRequest;
/** Whether a message a client sent is a request of `method`: narrows to its type. */
export declare function isClientRequest<M extends ClientRequest["method"]>(message: ClientMessage, method: M): message is OfMethod<ClientRequest, M>;

/** Whether a message a client sent is a notification: narrows to `ClientNotification`. */
export declare function isClientNotification(message: ClientMessage): message is ClientNotification;
/** Whether a message a client sent is a notification of `method`: narrows to its type. */
export declare function isClientNotification<M extends ClientNotification["method"]>(message: ClientMessage, method: M): message is OfMethod<ClientNotification, M>;

/** Whether a message the server sent is a request: narrows to `ServerRequest`. */
export declare function isServerRequest(message: ServerMessage): message is ServerRequest;
/** Whether a message the server sent is a request of `method`: narrows to its type. */
export declare function isServerRequest<M extends ServerRequest["method"]>(message: ServerMessage, method: M): message is OfMethod<ServerRequest, M>;

/** Whether a message the server sent is a notification: narrows to `ServerNotification`. */
export declare function isServerNotification(message: ServerMessage): message is ServerNotification;
/** Whether a message the server sent is a notification of `method`: narrows to its type. */
export declare function isServerNotification<M extends ServerNotification["method"]>(message: ServerMessage, method: M): message is OfMethod<ServerNotification, M>;

/** Whether a message is a successful response: narrows to the responses of its union. */
export declare function isResponse<T extends ClientMessage | ServerMessage>(message: T): message is Extract<T, { result: unknown }>;

/** Whether a message is an error response. */
export declare function isErrorResponse<T extends ClientMessage | ServerMessage>(message: T): message is Extract<T, ErrorResponse>;
