// Type-level tests of the package, compiled by the CI steps with TypeScript 5 and 7 under
// `bundler` and `nodenext`: what must compile does, and every misuse below must fail to compile
// (`@ts-expect-error` fails the build when the line after it compiles).

import {
  ClientRequestMethod,
  ServerRequestMethod,
  PendingRequests,
  decodeServerMessage,
  decodeClientMessage,
  isServerNotification,
  isServerRequest,
  type ClientPendingRequests,
  type ServerPendingRequests,
  type ClientRequestMethods,
  type ServerMessage,
  type RequestOf,
} from "@app-server/protocol";
import { isThreadItem, V2ClientRequestMethod, type ThreadItem } from "@app-server/protocol/v2";

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

const serverPending: ServerPendingRequests = new PendingRequests();
const fromClient = decodeClientMessage("{}", serverPending);
if (fromClient.ok && fromClient.kind === "response" && fromClient.method === "item/commandExecution/requestApproval") {
  const decision = fromClient.message.result.decision;
  void decision;
}
// @ts-expect-error: the decoders take a line of text
decodeServerMessage({ id: 1 }, pending);

void params, badParams, request, badRequest, v2list;
