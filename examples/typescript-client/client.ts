// The reference client in TypeScript (Node): starts the mock app server, runs the handshake,
// lists threads, starts a thread and a turn, renders the streamed items, answers the approval
// the turn asks for, and exits cleanly when the turn completes.
//
// usage: node client.js <path to app-server-kit> [mock options…]
// (`cargo build -p app-server-kit` builds it at target/debug/app-server-kit; the test command
// compiles this file with the pinned TypeScript and runs it, see tools/ts-check/test/example.test.mjs)

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

import {
  ClientNotificationMethod,
  ClientRequestMethod,
  PendingRequests,
  decodeServerMessage,
  isServerNotification,
  isServerRequest,
  type ClientPendingRequests,
  type ClientRequestMethods,
  type DecodedServerMessage,
  type RequestId,
  type ServerNotification,
  type ServerRequest,
} from "@app-server/protocol";
import { isThreadItem, type ThreadItem } from "@app-server/protocol/v2";

type Method = keyof ClientRequestMethods & string;
type Params<M extends Method> = ClientRequestMethods[M]["params"];
type Result<M extends Method> = ClientRequestMethods[M]["result"];
type Answer = Extract<DecodedServerMessage, { kind: "response" | "error" }>;

/** A JSON-RPC connection over a child's stdio: typed requests, notifications and server requests. */
class Connection {
  readonly #pending: ClientPendingRequests = new PendingRequests();
  readonly #waiting = new Map<RequestId, (answer: Answer) => void>();
  readonly #write: (line: string) => void;

  constructor(
    write: (line: string) => void,
    readonly onNotification: (notification: ServerNotification) => void,
    readonly onRequest: (request: ServerRequest) => unknown,
  ) {
    this.#write = write;
  }

  /** Sends a request of `method` and resolves with its typed result (rejects on an error answer). */
  request<M extends Method>(method: M, ...params: Params<M> extends undefined ? [] : [Params<M>]): Promise<Result<M>> {
    const id = this.#pending.nextId();
    this.#pending.register(id, method);
    const message = params.length === 0 ? { id, method } : { id, method, params: params[0] };
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, (answer) => {
        if (answer.kind === "error") {
          reject(new Error(`${method} failed: ${answer.message.error.code} ${answer.message.error.message}`));
        } else {
          resolve(answer.message.result as Result<M>);
        }
      });
      this.#write(JSON.stringify(message));
    });
  }

  /** Sends a notification. */
  notify(method: (typeof ClientNotificationMethod)[keyof typeof ClientNotificationMethod]): void {
    this.#write(JSON.stringify({ method }));
  }

  /** Decodes one line the server sent and routes it. */
  receive(line: string): void {
    const decoded = decodeServerMessage(line, this.#pending);
    if (!decoded.ok) {
      // A contract violation is reported, not fatal: the line is skipped.
      console.error(`bad line from the server: ${decoded.error.code} ${decoded.error.message}`);
      return;
    }
    switch (decoded.kind) {
      case "response":
      case "error": {
        const waiter = this.#waiting.get(decoded.message.id);
        this.#waiting.delete(decoded.message.id);
        waiter?.(decoded);
        return;
      }
      case "notification":
        this.onNotification(decoded.message);
        return;
      case "request": {
        const result = this.onRequest(decoded.message);
        this.#write(JSON.stringify({ id: decoded.message.id, result }));
        return;
      }
    }
  }
}

/** One line of output per completed item, by its type. */
function renderItem(item: ThreadItem): string {
  if (isThreadItem(item, "agentMessage")) return `agent: ${item.text}`;
  if (isThreadItem(item, "reasoning")) return `reasoning: ${item.summary.join(" ")}`;
  if (isThreadItem(item, "commandExecution")) return `command: ${item.command} (exit ${item.exitCode ?? "-"}, ${item.status})`;
  if (isThreadItem(item, "fileChange")) return `file change: ${item.changes.map((c) => c.path).join(", ")} (${item.status})`;
  if (isThreadItem(item, "userMessage")) return `user: ${item.content.length} input(s)`;
  return `${item.type}`;
}

async function main(): Promise<number> {
  const [kit, ...mockOptions] = process.argv.slice(2);
  if (kit === undefined) {
    console.error("usage: node client.js <path to app-server-kit> [mock options…]");
    return 2;
  }
  const child = spawn(kit, ["mock", ...mockOptions], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
  let finish: (status: string) => void = () => {};
  let streaming = false; // an agent message is being streamed on the current line
  const turnDone = new Promise<string>((resolve) => (finish = resolve));

  const connection = new Connection(
    (line) => child.stdin.write(`${line}\n`),
    (notification) => {
      if (isServerNotification(notification, "item/agentMessage/delta")) {
        process.stdout.write(`${streaming ? "" : "[streaming] "}${notification.params.delta}`);
        streaming = true;
      } else if (isServerNotification(notification, "item/started")) {
        console.log(`[started] ${notification.params.item.type}`);
      } else if (isServerNotification(notification, "item/completed")) {
        if (streaming) process.stdout.write("\n");
        streaming = false;
        console.log(`[completed] ${renderItem(notification.params.item)}`);
      } else if (isServerNotification(notification, "turn/completed")) {
        finish(notification.params.turn.status);
      }
    },
    (request) => {
      // Approve what the turn asks for; a real client would ask the user.
      if (isServerRequest(request, "item/commandExecution/requestApproval")) {
        console.log(`[approval] command ${request.params.itemId}: ${request.params.reason ?? "no reason"} → accept`);
        return { decision: "accept" };
      }
      if (isServerRequest(request, "item/fileChange/requestApproval")) {
        console.log(`[approval] file change ${request.params.itemId} → accept`);
        return { decision: "accept" };
      }
      console.log(`[approval] ${request.method} → approved`);
      return { decision: "approved" };
    },
  );
  createInterface({ input: child.stdout }).on("line", (line) => connection.receive(line));

  const hello = await connection.request(ClientRequestMethod.Initialize, {
    clientInfo: { name: "reference-client-ts", version: "0.64.0" },
  });
  console.log(`connected to ${hello.userAgent}`);
  connection.notify(ClientNotificationMethod.Initialized);

  const threads = await connection.request(ClientRequestMethod.ThreadList, { limit: 10 });
  console.log(`${threads.data.length} stored thread(s)${threads.nextCursor === null ? "" : ", more"}`);

  const { thread } = await connection.request(ClientRequestMethod.ThreadStart, {});
  console.log(`thread ${thread.id}`);
  const { turn } = await connection.request(ClientRequestMethod.TurnStart, {
    threadId: thread.id,
    input: [{ type: "text", text: "Fix the failing test: RUN cargo test" }],
  });
  console.log(`turn ${turn.id} started`);

  const status = await turnDone;
  console.log(`turn completed: ${status}`);
  child.stdin.end(); // the mock exits when its input closes
  const code = await exited;
  return code === 0 && status === "completed" ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
