// Type-level tests of the package, compiled by the CI steps with TypeScript 5 and 7 under
// `bundler` and `nodenext`: what must compile does, and every misuse below must fail to compile
// (`@ts-expect-error` fails the build when the line after it compiles).

import {
  ClientRequestMethod,
  ServerRequestMethod,
  PendingRequests,
  decodeServerMessage,
  decodeClientMessage,
  isLegacyEvent,
  isServerNotification,
  isServerRequest,
  ServerNotificationFamily,
  type ClientPendingRequests,
  type LegacyEventNotification,
  type ServerNotificationMethod,
  type ServerPendingRequests,
  type ClientRequestMethods,
  type ServerMessage,
  type RequestOf,
} from "@app-server/protocol";
import {
  isThreadItem,
  V2ClientRequestMethod,
  type CommandAction,
  type CommandRiskLevel,
  type ThreadItem,
} from "@app-server/protocol/v2";
import type { ReasoningEffort, UnknownKind, UnknownVariant } from "@app-server/protocol";

const pending: ClientPendingRequests = new PendingRequests();
pending.register(pending.nextId(), ClientRequestMethod.ThreadList);
// @ts-expect-error: not a method a client sends
pending.register(2, "turn/completed");

// Constants are literal types, usable as keys of the method maps.
const list: "thread/list" = ClientRequestMethod.ThreadList;
const v2list: "thread/list" = V2ClientRequestMethod.ThreadList;
// @ts-expect-error: the v2-only map has no v1 methods
V2ClientRequestMethod.NewConversation;
type ListParams = ClientRequestMethods[typeof list]["params"];
const params: ListParams = { limit: 10 };
// @ts-expect-error: wrong params for the method (limit is a number)
const badParams: ListParams = { limit: "ten" };

// A request is typed by its method.
const request: RequestOf<ClientRequestMethods, "thread/archive"> = { id: 1, method: "thread/archive", params: { threadId: "t" } };
// @ts-expect-error: thread/archive needs a threadId
const badRequest: RequestOf<ClientRequestMethods, "thread/archive"> = { id: 1, method: "thread/archive", params: {} };

const decoded = decodeServerMessage("{}", pending);
if (decoded.ok) {
  if (decoded.kind === "response" && decoded.method === "thread/list") {
    const cursor: string | null = decoded.message.result.nextCursor;
    void cursor;
    // @ts-expect-error: a thread/list result has no `thread`
    decoded.message.result.thread;
  }
  if (decoded.kind === "notification" && decoded.method === "turn/completed") {
    const status: string = decoded.message.params.turn.status;
    void status;
  }
  if (decoded.kind === "request") {
    // @ts-expect-error: `params` depends on the method, not narrowed yet to one with `itemId`
    decoded.message.params.itemId;
  }
} else {
  const code: number = decoded.error.code;
  const path: string | null = decoded.error.path;
  void code, path;
  // @ts-expect-error: a failure has no message
  decoded.message;
}

declare const message: ServerMessage;
if (isServerNotification(message, "item/completed")) {
  const item: ThreadItem = message.params.item;
  if (isThreadItem(item, "agentMessage")) {
    const text: string = item.text;
    void text;
    // @ts-expect-error: an agent message has no `command`
    item.command;
  }
  if (isThreadItem(item, "commandExecution")) {
    const command: string = item.command;
    void command;
  }
}
if (isServerRequest(message, ServerRequestMethod.CommandExecutionRequestApproval)) {
  const threadId: string = message.params.threadId;
  void threadId;
  // @ts-expect-error: a request narrowed by method still has no `result`
  message.result;
}
// @ts-expect-error: not a notification the server sends
isServerNotification(message, "thread/list");

// A method family: every name `codex/event/<type>` is a notification, its params typed.
if (isServerNotification(message, "codex/event/task_started")) {
  const event: LegacyEventNotification = message.params;
  const method: "codex/event/task_started" = message.method;
  void event, method;
}
if (isLegacyEvent(message)) {
  const method: `codex/event/${string}` = message.method;
  const type: string = message.params.msg.type;
  void method, type;
  // @ts-expect-error: a legacy event has no `threadId` (it names its `conversationId`)
  message.params.threadId;
}
const legacyPrefix: "codex/event/" = ServerNotificationFamily.LegacyEvent;
const legacyName: ServerNotificationMethod = "codex/event/agent_message_delta";
// @ts-expect-error: no notification the server sends has this name
const notAName: ServerNotificationMethod = "codex/events";
void legacyPrefix, legacyName, notAName;

// A newer server's notification decodes with its method and raw params; a refused
// notification keeps its method.
if (decoded.ok && decoded.kind === "unknownNotification") {
  const method: string = decoded.method;
  const raw: { [key: string]: unknown } | undefined = decoded.message.params;
  void method, raw;
} else if (decoded.ok && decoded.kind === "notification" && isLegacyEvent(decoded.message)) {
  const conversation: string = decoded.message.params.conversationId;
  void conversation;
} else if (!decoded.ok) {
  const refused: string | null = decoded.error.notificationMethod;
  const method: string | null = decoded.error.method;
  void refused, method;
}

const serverPending: ServerPendingRequests = new PendingRequests();
const fromClient = decodeClientMessage("{}", serverPending);
if (fromClient.ok && fromClient.kind === "response" && fromClient.method === "item/commandExecution/requestApproval") {
  const decision = fromClient.message.result.decision;
  void decision;
}
// @ts-expect-error: the decoders take a line of text
decodeServerMessage({ id: 1 }, pending);

// Open unions: an item of a kind this version does not know is `UnknownVariant`; narrowing on
// `type` still gives the known variants their members, and the default branch the unknown one.
function render(item: Extract<ThreadItem, { type: "agentMessage" }>): string {
  return item.text;
}
function describeItem(item: ThreadItem): string {
  switch (item.type) {
    case "agentMessage": {
      const text: string = item.text;
      // @ts-expect-error: narrowed to the agent message, which has no `command`
      item.command;
      return render(item) + text;
    }
    case "commandExecution":
      return item.command;
    case "userMessage":
    case "reasoning":
    case "fileChange":
    case "mcpToolCall":
    case "webSearch":
    case "todoList":
    case "imageView":
    case "codeReview":
      return item.id;
    default: {
      const unknown: UnknownVariant = item;
      const kind: UnknownKind = unknown.type;
      const member: unknown = unknown["id"];
      // @ts-expect-error: its members are unknown: checked before use
      const id: string = unknown["id"];
      // @ts-expect-error: an unknown item is kept as it came: read-only
      unknown.id = "x";
      void member, id;
      return `${kind} ${String(item.type)} ${item.type.toString()}`;
    }
  }
}
function onlyKnown(item: ThreadItem): string {
  if (item.type === "agentMessage") return render(item);
  if (item.type !== "commandExecution") {
    // @ts-expect-error: not narrowed to one variant: a reasoning item or an unknown one has no `text`
    item.text;
    return "";
  }
  return item.command;
}
// @ts-expect-error: a known tag is not an unknown kind
const notUnknown: UnknownVariant = { type: "agentMessage", id: "i" };
// @ts-expect-error: a known variant is still held to its shape (an agent message needs `text`)
const badItem: ThreadItem = { type: "agentMessage", id: "i" };
// @ts-expect-error: the guards narrow to known tags only
isThreadItem(message, "hologram");
function exhaustive(item: ThreadItem): void {
  if (isThreadItem(item, "agentMessage") || isThreadItem(item, "commandExecution")) return;
  if (item.type === "userMessage" || item.type === "reasoning" || item.type === "fileChange") return;
  if (item.type === "mcpToolCall" || item.type === "webSearch" || item.type === "todoList") return;
  if (item.type === "imageView" || item.type === "codeReview") return;
  // What is left is what a newer server sends: not `never`.
  const left: UnknownVariant = item;
  // @ts-expect-error: an open union is never exhausted by its known tags
  const none: never = item;
  void left, none;
}
function describeAction(action: CommandAction): string {
  switch (action.type) {
    case "read":
      return action.path;
    case "listFiles":
    case "search":
    case "unknown":
      return action.command;
    default:
      return `${action.type} (${Object.keys(action).length} members)`;
  }
}
// Open enums of strings: the known values, and any other string a newer server sends.
const effort: ReasoningEffort = "medium";
const newerEffort: ReasoningEffort = "ultra";
const risk: CommandRiskLevel = "high";
function riskLabel(level: CommandRiskLevel): string {
  switch (level) {
    case "low":
    case "medium":
    case "high":
      return level;
    default:
      return `unknown (${level})`;
  }
}
// @ts-expect-error: still strings only
const notEffort: ReasoningEffort = 3;

void params, badParams, request, badRequest, v2list, describeItem, onlyKnown, notUnknown, badItem, exhaustive;
void describeAction, effort, newerEffort, risk, riskLabel, notEffort;
