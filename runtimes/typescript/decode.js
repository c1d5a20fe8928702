// The decoders: the same contract as the Rust decoder (`decode_client_message`,
// `decode_server_message`). The envelope is classified member by member, in the Rust decoder's
// order; payloads are checked against the decode contract (`schema.js`) by validate.js, which
// generates no code at run time.

import { scanLine, unreadable } from "./lexical.js";
import { check, definition, resolve } from "./validate.js";
import { CLIENT_SENDS, SERVER_SENDS } from "./tables.js";

/** The JSON-RPC error codes the decoders report. */
export const ErrorCode = Object.freeze({
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
});

/** The largest line the decoders parse, in UTF-8 bytes, unless told otherwise: 16 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Why a line was refused: the JSON-RPC code, the JSON path of the problem and what was expected there. */
export class DecodeError extends Error {
  constructor(code, detail, path, expected) {
    super(path === null ? detail : `${detail} at \`${path}\``);
    this.name = "DecodeError";
    this.code = code;
    this.path = path;
    this.expected = expected;
    this.detail = detail;
    this.id = null;
    this.request = false;
    this.method = null;
    this.notification = false;
  }

  /**
   * The method of a refused notification (a `method` and no `id` member) whose method could be
   * read, else `null`: a client hands it on as an invalid notification, so that a loop waiting
   * for, say, `turn/completed` learns that one came.
   */
  get notificationMethod() {
    return this.notification ? this.method : null;
  }

  /** The error response that answers the refused request, or `null` when nobody waits for one. */
  toErrorResponse() {
    if (!this.request || this.id === null) return null;
    const data = {};
    if (this.expected !== null) data.expected = this.expected;
    if (this.path !== null) data.path = this.path;
    const error = { code: this.code, message: this.message };
    if (Object.keys(data).length > 0) error.data = data;
    return { id: this.id, error };
  }
}

const idKey = (id) => (typeof id === "string" ? `s${id}` : `n${id}`);

/** The requests one side has sent and not yet seen answered: id → method. */
export class PendingRequests {
  #byId = new Map();
  #next = 1;

  /** A fresh integer id (1, 2, …) for the next request. */
  nextId() {
    return this.#next++;
  }

  /** Records a request sent with `id` and `method`, so that its answer is typed by `method`. */
  register(id, method) {
    this.#byId.set(idKey(id), method);
  }

  /** Whether a request with `id` waits for its answer. */
  has(id) {
    return this.#byId.has(idKey(id));
  }

  /** The number of requests waiting. */
  get size() {
    return this.#byId.size;
  }

  /** Takes the request with `id` out: its method, or `undefined` when none waits. */
  take(id) {
    const key = idKey(id);
    const method = this.#byId.get(key);
    this.#byId.delete(key);
    return method;
  }
}

/** Whether `value` fits the decode contract's definition `def` (used by the guards). */
export function validates(def, value) {
  return check(definition(def), value) === null;
}

const escapeSegment = (s) => String(s).replaceAll("~", "~0").replaceAll("/", "~1");
const pointerOf = (segments) => segments.map((s) => `/${escapeSegment(s)}`).join("");

// Where an error is, as path segments: a missing member or an unknown tag is reported at the
// member, as the Rust decoder does.
function segmentsOf(error) {
  const segments = [...error.at];
  if (error.keyword === "required") segments.push(error.params.missingProperty);
  if (error.keyword === "discriminator") segments.push(error.params.tag);
  return segments;
}

// A variant written as `{ "<name>": … }` (an externally tagged enum) whose one key is absent.
function externalTagMissing(error) {
  const schema = error.parentSchema;
  return error.keyword === "required" && schema?.additionalProperties === false &&
    Object.keys(schema.properties ?? {}).length === 1;
}

// Whether every variant of a union is an object type of one required member (an externally
// tagged enum, e.g. a `Result`'s `{ "Ok": … }` / `{ "Err": … }`): a variant whose one member
// is absent is then not the variant meant. (Alternative spellings of one member, e.g.
// `execpolicyAmendment` / `execpolicy_amendment`, are unions of `required` alone, without
// `type`: the closest fit picks among them.)
function externallyTagged(variants) {
  return variants.every((variant) => {
    const schema = schemaOf(variant);
    return schema?.type === "object" && Object.keys(schema.properties ?? {}).length === 1 &&
      schema.required?.length === 1;
  });
}

// Whether a variant's failure says it is not the variant meant: the value has another type or
// constant, another tag, or lacks the one key of an externally tagged variant (`tagged`: the
// union is one, see externallyTagged).
function notMeant(error, segments, tagged) {
  if (externalTagMissing(error)) return true;
  if (tagged && error.keyword === "required" && segments.length === 1) return true;
  if (segments.length === 0) return ["type", "const", "enum"].includes(error.keyword);
  return segments.length === 1 && segments[0] === "type" && ["const", "enum", "not"].includes(error.keyword);
}

// Whether `target` has a member that a variant fixes to another value (its tag), or to a value
// the variant excludes (the catch-all variant of an open union).
function excludedByTag(variantSchema, target) {
  if (!isObject(target)) return false;
  for (const [name, member] of Object.entries(variantSchema?.properties ?? {})) {
    if (!own(target, name) || member === null || typeof member !== "object") continue;
    if (own(member, "const") && target[name] !== member.const) return true;
    if (Array.isArray(member.not?.enum) && member.not.enum.includes(target[name])) return true;
  }
  return false;
}

const valueAt = (value, segments) =>
  segments.reduce((node, s) => (node !== null && typeof node === "object" ? node[s] : undefined), value);

// A union's variant as a schema (each is a `$ref`, see tables.rs).
const schemaOf = (variant) => (variant?.$ref !== undefined ? resolve(variant.$ref) : variant);

// The error to report after a check found `last` in `value`, and where (path segments below
// `value`). A check stops at the first problem; a failed union (anyOf, oneOf) is explained by
// trying each variant alone: when exactly one is meant, its error is reported, else the
// union's own, at the member all variants miss if they agree on one — as the Rust decoder
// reports a value that fits no variant at the value.
function explain(last, value, scan, base) {
  if (last.keyword !== "anyOf" && last.keyword !== "oneOf") return { error: last, segments: segmentsOf(last) };
  const at = last.at;
  const target = valueAt(value, at);
  const targetBase = `${base}${pointerOf(at)}`;
  const failures = [];
  const tagged = externallyTagged(last.parentSchema[last.keyword]);
  for (const variant of last.parentSchema[last.keyword]) {
    const variantSchema = schemaOf(variant);
    const found = check(variantSchema, target, scan, targetBase);
    if (found === null) continue;
    failures.push({
      ...explain(found, target, scan, targetBase),
      excluded: excludedByTag(variantSchema, target),
      required: Array.isArray(variantSchema?.required) ? variantSchema.required : [],
    });
  }
  // A union whose variant is named by a member's value (`x-variant-by`, see tables.rs).
  const by = last.parentSchema["x-variant-by"];
  const named = by && isObject(target) ? by.values.indexOf(target[by.member]) : -1;
  if (named >= 0 && failures[named] !== undefined && failures.length === by.values.length) {
    return { error: failures[named].error, segments: [...at, ...failures[named].segments] };
  }
  const meant = failures.filter((f) => !f.excluded && !notMeant(f.error, f.segments, tagged));
  if (meant.length === 1) return { error: meant[0].error, segments: [...at, ...meant[0].segments] };
  // Variants that each miss a member: the one with the most of its required members present
  // (the closest fit), or the first when they tie on all (alternative spellings of one member).
  if (meant.length > 1 && meant.length === failures.length && meant.every((f) => f.error.keyword === "required")) {
    const scores = meant.map((f) => (f.required ?? []).filter((name) => own(target, name)).length);
    const best = Math.max(...scores);
    const closest = meant.filter((_, i) => scores[i] === best);
    const pick = closest.length === 1 ? closest[0] : scores.every((s) => s === best) ? meant[0] : null;
    if (pick !== null) return { error: pick.error, segments: [...at, ...pick.segments] };
  }
  const same = failures.length > 0 && failures.every((f) => f.segments.join("/") === failures[0].segments.join("/"));
  if (same && failures[0].segments.length > 0) return { error: failures[0].error, segments: [...at, ...failures[0].segments] };
  return { error: last, segments: at };
}

// The JSON path of `segments` below `root`, in the Rust decoder's spelling: `params.input[0].type`.
function jsonPath(prefix, segments, root) {
  let path = prefix;
  let node = root;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      path += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      path += `.${segment}`;
      node = node !== null && typeof node === "object" ? node[segment] : undefined;
    }
  }
  return path;
}

const JSON_TYPES = {
  string: "a string", integer: "an integer", number: "a number", boolean: "a boolean",
  object: "an object", array: "an array", null: "null",
};

// What was expected where the error is, in JSON's words.
function expectation(error) {
  const schema = error.parentSchema ?? {};
  const types = [schema.type ?? []].flat();
  switch (error.keyword) {
    case "type":
    case "minimum":
    case "maximum":
      if (types.includes("integer") && schema.minimum !== undefined && schema.maximum !== undefined) {
        return `an integer from ${schema.minimum} to ${schema.maximum}`;
      }
      if (error.keyword !== "type") return `a number ${error.params.comparison} ${error.params.limit}`;
      return String(error.params.type).split(",").map((t) => JSON_TYPES[t] ?? t).join(" or ");
    case "required": return "a value (the member is required)";
    case "enum": return `one of ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "const": return JSON.stringify(error.params.allowedValue);
    case "discriminator": return `a known \`${error.params.tag}\``;
    case "oneOf": case "anyOf": return unionExpectation(error);
    case "x-integer": return "an integer";
    case "x-string": return "a string";
    default: return null;
  }
}

// What a union accepts, in JSON's words, from its variants: constants as written, other
// variants by their type.
function unionExpectation(error) {
  const variants = (error.parentSchema?.[error.keyword] ?? []).map(schemaOf);
  const words = variants.map((v) => {
    if (v === null || typeof v !== "object") return null;
    if (own(v, "const")) return JSON.stringify(v.const);
    const types = [v.type ?? []].flat().map((t) => JSON_TYPES[t]).filter(Boolean);
    return types.length > 0 ? types.join(" or ") : null;
  });
  if (words.length === 0 || words.some((w) => w === null)) return null;
  return `one of ${[...new Set(words)].join(", ")}`;
}

// The value found, for messages: numbers, booleans and null as written, anything else by its
// kind (a string is not quoted: it may be a credential).
const found = (value) =>
  value === undefined ? "nothing" : typeof value === "number" || typeof value === "boolean" || value === null
    ? JSON.stringify(value) : kind(value);

// The message of an error: what was expected and what was found, or the validator's words.
function describe(error, segments, root) {
  if (error.keyword.startsWith("x-")) return error.message;
  if (error.keyword === "oneOf" || error.keyword === "anyOf") {
    return `expected ${unionExpectation(error) ?? "one of its variants"}, found ${found(valueAt(root, segments))}`;
  }
  if (error.keyword === "required") return `missing required member \`${error.params.missingProperty}\``;
  if (error.keyword === "discriminator") return `unknown \`${error.params.tag}\`${typeof error.params.tagValue === "string" ? "" : ` (${found(error.params.tagValue)})`}`;
  const expected = expectation(error);
  if (expected === null) return error.message ?? "does not fit";
  return `expected ${expected}, found ${found(valueAt(root, segments))}`;
}

// Validates a payload; returns the error (code, path) or null.
function checkPayload(def, value, member, code, scan) {
  const base = `/${member}`;
  try {
    const found = check(definition(def), value, scan, base);
    if (found === null) return null;
    const { error, segments } = explain(found, value, scan, base);
    const path = jsonPath(member, segments, value);
    return new DecodeError(code, describe(error, segments, value), path, expectation(error));
  } catch (cause) {
    // A value nested deeper than the validator's stack: refused, not thrown.
    if (!(cause instanceof RangeError)) throw cause;
    return new DecodeError(code, "nested too deeply to be checked", member, null);
  }
}

// Fills in, below a payload that validated against `schema`, each member the sender always
// writes but the receiver may go without (`x-fill`, see fill.rs): what the Rust decoder reads
// for it (`null` for an `Option`, a `#[serde(default)]` value), so that the decoded message
// has every member its TypeScript type says.
function fill(schema, value) {
  if (schema === null || typeof schema !== "object") return;
  if (schema.$ref !== undefined) {
    fill(resolve(schema.$ref), value);
    return;
  }
  if (Array.isArray(value)) {
    if (schema.items !== undefined) for (const item of value) fill(schema.items, item);
    return;
  }
  if (!isObject(value)) return;
  for (const keyword of ["oneOf", "anyOf"]) {
    if (Array.isArray(schema[keyword])) fill(variantOf(schema, schema[keyword], value), value);
  }
  const members = schema.properties ?? {};
  for (const [name, member] of Object.entries(members)) {
    if (own(value, name)) fill(member, value[name]);
  }
  if (isObject(schema.additionalProperties)) {
    for (const [name, item] of Object.entries(value)) {
      if (!own(members, name)) fill(schema.additionalProperties, item);
    }
  }
  for (const [name, absent] of Object.entries(schema["x-fill"] ?? {})) {
    if (!own(value, name)) value[name] = structuredClone(absent);
  }
}

// The variant of a union that `value` is: the one its tag names, or the first it fits.
function variantOf(union, variants, value) {
  const tag = union.discriminator?.propertyName;
  if (tag !== undefined) return variants.find((variant) => variant.properties?.[tag]?.const === value[tag]);
  return variants.find((variant) => variant.$ref !== undefined && check(resolve(variant.$ref), value) === null);
}

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const kind = (value) =>
  Array.isArray(value) ? "an array" : value === null ? "null" : typeof value === "string" ? "a string"
    : typeof value === "boolean" ? "a boolean" : typeof value === "number" ? "a number" : "an object";
const utf8 = new TextEncoder();

function fail(error, id = null, request = false, notification = false) {
  error.id = id;
  error.request = request;
  error.notification = notification;
  return { ok: false, error };
}

const ENVELOPE = ["id", "method", "params", "result", "error", "jsonrpc"];

// The raw text of the top-level members of a line that parsed as a JSON object, and the
// first envelope member written twice: what `JSON.parse` does not tell (how `id` was written,
// duplicates, which it resolves silently to the last).
function scanTopLevel(line) {
  const raw = new Map();
  let duplicate = null;
  let depth = 0;
  let key = null;
  let valueStart = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      const start = i;
      for (i++; line[i] !== '"'; i++) if (line[i] === "\\") i++;
      if (depth === 1 && key === null && valueStart < 0) {
        key = JSON.parse(line.slice(start, i + 1));
      }
    } else if (c === ":" && depth === 1 && key !== null && valueStart < 0) {
      valueStart = i + 1;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if (depth === 1 && (c === "," || c === "}")) {
      if (key !== null && valueStart >= 0) {
        if (raw.has(key) && duplicate === null && ENVELOPE.includes(key)) duplicate = key;
        if (!raw.has(key)) raw.set(key, line.slice(valueStart, i).trim());
      }
      key = null;
      valueStart = -1;
      if (c === "}") depth--;
    } else if (c === "}" || c === "]") {
      depth--;
    }
  }
  return { raw, duplicate };
}

function parseLine(line, maxBytes) {
  if (typeof line !== "string") {
    return new DecodeError(ErrorCode.ParseError, `not JSON text: expected a string, found ${kind(line)}`, null, null);
  }
  if (line.length > maxBytes / 3 && utf8.encode(line).length > maxBytes) {
    return new DecodeError(ErrorCode.InvalidRequest, `message too large: the limit is ${maxBytes} bytes; it was not parsed`, null, null);
  }
  try {
    return { value: JSON.parse(line) };
  } catch (cause) {
    // The engine's words may quote the line (a credential, say): only where it stopped is kept.
    const at = /position (\d+)/.exec(String(cause?.message))?.[1];
    return new DecodeError(ErrorCode.ParseError, `not JSON: the line does not parse as JSON text${at === undefined ? "" : ` (stopped at character ${at})`}`, null, null);
  }
}

function decodeLine(line, given, sender, other, options) {
  // A caller without a table (plain JavaScript) waits for no answer.
  const pending = given instanceof PendingRequests ? given : new PendingRequests();
  const parsed = parseLine(line, options?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  if (parsed instanceof DecodeError) return fail(parsed);
  const message = parsed.value;
  const invalid = (detail, path = null, expected = null) => new DecodeError(ErrorCode.InvalidRequest, detail, path, expected);
  if (!isObject(message)) {
    return fail(invalid(Array.isArray(message)
      ? "not a JSON-RPC message: a top-level array (batches are not supported); expected an object"
      : "not a JSON-RPC message: expected an object with `method`, `result` or `error`"));
  }
  const { raw, duplicate } = scanTopLevel(line);
  if (duplicate !== null) {
    return fail(invalid(`duplicate member \`${duplicate}\`: each member of a message may appear once`, duplicate));
  }
  const has = (member) => own(message, member);
  // A request (a `method`, or neither `result` nor `error`) with an `id`: its sender waits for
  // an answer. A notification waits for none.
  const request = has("id") && (has("method") || (!has("result") && !has("error")));
  let id = null;
  if (has("id")) {
    id = message.id;
    // An integer id is written as one: `1.0` and `1e3` are floats to the Rust decoder.
    const integer = /^(0|-?[1-9][0-9]*)$/.test(raw.get("id") ?? "");
    const valid = typeof id === "string" || (integer && BigInt(raw.get("id")) >= -(2n ** 63n) && BigInt(raw.get("id")) < 2n ** 63n);
    if (!valid) {
      return fail(invalid(`\`id\` must be a string or a 64-bit integer, found ${JSON.stringify(id)}`, "id", "a string or a 64-bit integer"), null, request);
    }
  }
  // A notification: a `method` and no `id` member (a refused one keeps its method).
  const failed = (error) => fail(error, id, request, has("method") && !has("id"));
  if (has("jsonrpc") && message.jsonrpc !== "2.0") {
    return failed(invalid(`\`jsonrpc\` must be "2.0" when present, found ${JSON.stringify(message.jsonrpc)}`, "jsonrpc", "\"2.0\""));
  }
  const lexical = scanLine(line);
  return has("method")
    ? decodeCall(message, id, sender, other, failed, lexical)
    : decodeAnswer(message, id, pending, sender, failed, lexical);
}

// The family of `families` (`[prefix, params definition, suffix path]`, see tables.js) that
// `method` is a name of: its prefix followed by a non-empty suffix.
const familyOf = (families, method) =>
  families.find(([prefix]) => method.length > prefix.length && method.startsWith(prefix));

// Looks a method up as the Rust method table does: a wire name or alias, else a name of a
// method family. `[canonical name, params definition, family or undefined]`, or null.
function lookup(table, families, method) {
  if (own(table, method)) return [...table[method], undefined];
  const family = familyOf(families, method);
  return family === undefined ? null : [method, family[1], family];
}

// Whether `side` sends `method` (as a request or a notification).
const sends = (side, method) =>
  lookup(side.requests, side.requestFamilies, method) !== null ||
  lookup(side.notifications, side.notificationFamilies, method) !== null;

function decodeCall(message, id, sender, other, failed, lexical) {
  const method = message.method;
  if (typeof method !== "string") {
    return failed(new DecodeError(ErrorCode.InvalidRequest, `\`method\` must be a string, found ${kind(method)}`, "method", "a string"));
  }
  // From here on, a refused line names its method.
  const refused = (error) => {
    error.method = method;
    return failed(error);
  };
  for (const member of ["result", "error"]) {
    if (own(message, member)) {
      return refused(new DecodeError(ErrorCode.InvalidRequest, `a message with \`method\` cannot also carry \`${member}\``, member, null));
    }
  }
  const params = own(message, "params") && message.params !== null ? message.params : undefined;
  if (params !== undefined && !isObject(params)) {
    return refused(new DecodeError(ErrorCode.InvalidParams, `\`params\` must be an object (params are passed by name), found ${kind(params)}`, "params", "an object"));
  }
  const isRequest = id !== null;
  const found = isRequest
    ? lookup(sender.requests, sender.requestFamilies, method)
    : lookup(sender.notifications, sender.notificationFamilies, method);
  if (found === null) {
    const elsewhere = sends(other, method);
    // A newer peer's notification is kept, not refused, by a receiver that keeps them.
    if (!isRequest && !elsewhere && sender.unknownNotificationsKept) return unknownNotification(method, params, refused);
    const detail = elsewhere
      ? `\`${method}\` is sent by the other side; it cannot be sent by ${sender.name}`
      : `unknown ${isRequest ? "request" : "notification"} method \`${method}\``;
    return refused(new DecodeError(ErrorCode.MethodNotFound, detail, "method", null));
  }
  const [canonical, def, family] = found;
  if (def !== null) {
    const error = checkPayload(def, params ?? {}, "params", ErrorCode.InvalidParams, lexical);
    if (error !== null) return refused(error);
  }
  if (family !== undefined) {
    const error = checkFamilyName(family, method, params ?? {});
    if (error !== null) return refused(error);
  }
  const decoded = isRequest ? { id, method: canonical } : { method: canonical };
  if (params !== undefined && def !== null) {
    fill(definition(def), params);
    decoded.params = params;
  }
  return { ok: true, kind: isRequest ? "request" : "notification", method: canonical, message: decoded };
}

// A name of a method family must end with the value its params name (the Rust decoder's
// `check_wire_name`): `codex/event/task_started` carries `msg.type: "task_started"`.
function checkFamilyName([prefix, , path], method, params) {
  const suffix = method.slice(prefix.length);
  const found = valueAt(params, path.split("."));
  if (found === suffix) return null;
  return new DecodeError(ErrorCode.InvalidParams, `expected "${suffix}" (the method's last segment), found ${JSON.stringify(found)}`, `params.${path}`, null);
}

// A notification no table knows: its method and its params as they came (which must be JSON
// the Rust decoder can hold: no container nested past the limit, no lone surrogate, no number
// out of range).
function unknownNotification(method, params, refused) {
  const problem = params === undefined ? null : unreadable(params);
  if (problem !== null) return refused(new DecodeError(ErrorCode.InvalidParams, problem, "params", null));
  return { ok: true, kind: "unknownNotification", method, message: params === undefined ? { method } : { method, params } };
}

function decodeAnswer(message, id, pending, sender, failed, lexical) {
  const hasResult = own(message, "result");
  const hasError = own(message, "error");
  if (hasResult && hasError) {
    return failed(new DecodeError(ErrorCode.InvalidRequest, "a response cannot carry both `result` and `error`", null, null));
  }
  if (!hasResult && !hasError) {
    return failed(new DecodeError(ErrorCode.InvalidRequest, "not a message: expected `method` (request or notification), `result` (response) or `error` (error response)", null, null));
  }
  const member = hasResult ? "result" : "error";
  if (id === null) {
    return failed(new DecodeError(ErrorCode.InvalidRequest, `${hasResult ? "a response" : "an error response"} must carry the \`id\` of the request it answers`, "id", "the id of the request it answers"));
  }
  // An answer takes its request out even when malformed: it was answered.
  const method = pending.take(id);
  if (method === undefined || !own(sender.answers, method)) {
    return failed(new DecodeError(ErrorCode.InvalidRequest, `this answers no pending request: no request with id ${JSON.stringify(id)} is waiting for an answer`, "id", "the id of a pending request"));
  }
  // From here on, a refused answer names the method it answers.
  const refused = (error) => {
    error.method = method;
    return failed(error);
  };
  const payload = message[member];
  if (!isObject(payload)) {
    return refused(new DecodeError(ErrorCode.InternalError, `\`${member}\` must be an object, found ${kind(payload)}`, member, "an object"));
  }
  const def = hasResult ? sender.answers[method] : "JsonRpcError";
  const error = checkPayload(def, payload, member, ErrorCode.InternalError, lexical);
  if (error !== null) return refused(error);
  if (hasResult) fill(definition(def), payload);
  return hasResult
    ? { ok: true, kind: "response", method, message: { id, result: payload } }
    : { ok: true, kind: "error", method, message: { id, error: payload } };
}

// A server refuses a notification it does not know (-32601); a client keeps a newer server's.
const CLIENT = { name: "a client", unknownNotificationsKept: false, ...CLIENT_SENDS };
const SERVER = { name: "the server", unknownNotificationsKept: true, ...SERVER_SENDS };

/** Decodes a line a client sent (what a server calls); `pending` holds the requests the server sent. */
export function decodeClientMessage(line, pending, options) {
  return decodeLine(line, pending, CLIENT, SERVER, options);
}

/** Decodes a line the server sent (what a client calls); `pending` holds the requests the client sent. */
export function decodeServerMessage(line, pending, options) {
  return decodeLine(line, pending, SERVER, CLIENT, options);
}
