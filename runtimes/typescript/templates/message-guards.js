import { validates } from "./decode.js";

// The wire names of a group, and the prefixes of its method families: a name of a family is
// its prefix followed by a non-empty suffix.
function methodSet(names, families = {}) {
  return { names: new Set(Object.values(names)), prefixes: Object.values(families) };
}

function knows(set, method) {
  return set.names.has(method) ||
    set.prefixes.some((prefix) => method.length > prefix.length && method.startsWith(prefix));
}

// (method sets)

function isCall(message, withId, known, method) {
  if (typeof message !== "object" || message === null || typeof message.method !== "string") {
    return false;
  }
  if (("id" in message) !== withId) return false;
  return method === undefined ? knows(known, message.method) : message.method === method;
}

/** Whether a message a client sent is a request (of `method`, when given). */
export function isClientRequest(message, method) {
  return isCall(message, true, CLIENT_REQUESTS, method);
}

/** Whether a message a client sent is a notification (of `method`, when given). */
export function isClientNotification(message, method) {
  return isCall(message, false, CLIENT_NOTIFICATIONS, method);
}

/** Whether a message the server sent is a request (of `method`, when given). */
export function isServerRequest(message, method) {
  return isCall(message, true, SERVER_REQUESTS, method);
}

/** Whether a message the server sent is a notification (of `method`, when given). */
export function isServerNotification(message, method) {
  return isCall(message, false, SERVER_NOTIFICATIONS, method);
}

/** Whether a message is a successful response. */
export function isResponse(message) {
  return typeof message === "object" && message !== null && !("method" in message) && "result" in message;
}

/** Whether a message is an error response. */
export function isErrorResponse(message) {
  return typeof message === "object" && message !== null && !("method" in message) && "error" in message;
}
