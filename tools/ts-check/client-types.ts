// Type-level tests of the package's `Client`, compiled by the CI steps with TypeScript 5 and 7
// under `bundler` and `nodenext`: a request's params and result are the method's, a handler's
// return type is the server request's answer, notifications narrow by method. Every misuse
// below must fail to compile (`@ts-expect-error` fails the build when the line after it compiles).

import { Client, ClosedError, ServerError, webSocketTransport, type NotificationItem, type Transport } from "@app-server/protocol";

declare const transport: Transport;
const client = new Client(transport, { timeoutMs: 1000, notificationCapacity: 64 });

export async function requests(): Promise<void> {
  const hello = await client.request("initialize", { clientInfo: { name: "t", version: "1" } });
  const agent: string = hello.userAgent;
  const threads = await client.request("thread/list");
  const cursor: string | null = threads.nextCursor;
  const started = await client.request("thread/start", {}, { timeoutMs: 5, signal: new AbortController().signal });
  const id: string = started.thread.id;
  void [agent, cursor, id];

  // @ts-expect-error: a method the server does not have
  await client.request("thread/nope");
  // @ts-expect-error: `initialize` needs its params
  await client.request("initialize");
  // @ts-expect-error: a member `thread/start` does not take
  await client.request("thread/start", { bogus: 1 });
  // @ts-expect-error: `limit` is a number
  await client.request("thread/list", { limit: "10" });
  // @ts-expect-error: the result of `thread/list` has no `thread`
  void threads.thread;
  // @ts-expect-error: `nextCursor` may be null
  const notNull: string = threads.nextCursor;
  void notNull;
  // @ts-expect-error: a notification the client does not send
  await client.notify("turn/completed");
}

export function handlers(): void {
  client.handle("item/commandExecution/requestApproval", (params) => {
    const item: string = params.itemId;
    void item;
    return { decision: "accept" };
  });
  client.handle("item/fileChange/requestApproval", async () => ({ decision: "decline" }));
  // @ts-expect-error: the v1 answer is not a v2 approval's
  client.handle("item/commandExecution/requestApproval", () => ({ decision: "approved" }));
  // @ts-expect-error: an answer must be given
  client.handle("item/fileChange/requestApproval", () => undefined);
  // @ts-expect-error: not a request the server sends
  client.handle("thread/start", () => ({}));
}

export function events(): void {
  client.on("turn/completed", (params) => {
    const status: string = params.turn.status;
    void status;
    // @ts-expect-error: `turn/completed` carries no `delta`
    void params.delta;
  });
  client.on("item/agentMessage/delta", (params) => void params.delta.length);
  // @ts-expect-error: not a notification the server sends
  client.on("initialized", () => {});
}

export async function iterate(): Promise<void> {
  for await (const item of client.notifications({ capacity: 8 })) {
    describe(item);
  }
}

function describe(item: NotificationItem): string {
  switch (item.kind) {
    case "notification": {
      const { notification } = item;
      // @ts-expect-error: not every notification has `params.turn`
      void notification.params.turn;
      if (notification.method === "turn/completed") return notification.params.turn.id;
      if (notification.method === "item/completed") return String(notification.params.item.type);
      return notification.method;
    }
    case "unknown":
      return `${item.method}: ${JSON.stringify(item.notification.params ?? null)}`;
    case "invalid":
      return `${item.method}: ${item.error.path ?? ""} ${item.error.code}`;
  }
}

export function errors(error: unknown): string {
  if (error instanceof ServerError) return `${error.code} ${error.method ?? ""}`;
  if (error instanceof ClosedError) return "closed";
  return "other";
}

export const overWebSocket = (url: string): Client => new Client(webSocketTransport(url, { capacity: 100 }));
