// The reference client in TypeScript (Node), on the package's `Client`: starts an app server
// (the mock, or a real `codex app-server`), runs the handshake, lists threads, starts a thread
// and a turn, renders the streamed items, answers the approval the turn asks for, and exits
// cleanly when the turn completes.
//
// usage: node client.js [--prompt TEXT] <program> [args…]
//   node client.js target/debug/app-server-kit mock --seed 7 --speed 0
//   CODEX_HOME=… node client.js --prompt RUN codex app-server
// (the test command compiles this file with the pinned TypeScript and runs it, see
// tools/ts-check/test/example.test.mjs and test/real-server.test.mjs)

import { Client, type NotificationItem } from "@app-server/protocol";
import { spawnTransport } from "@app-server/protocol/node";
import { isThreadItem, type ThreadItem } from "@app-server/protocol/v2";

/** One line of output per completed item, by its type. */
function renderItem(item: ThreadItem): string {
  if (isThreadItem(item, "agentMessage")) return `agent: ${item.text}`;
  if (isThreadItem(item, "reasoning")) return `reasoning: ${item.summary.join(" ")}`;
  if (isThreadItem(item, "commandExecution")) return `command: ${item.command} (exit ${item.exitCode ?? "-"}, ${item.status})`;
  if (isThreadItem(item, "fileChange")) return `file change: ${item.changes.map((c) => c.path).join(", ")} (${item.status})`;
  if (isThreadItem(item, "userMessage")) return `user: ${item.content.length} input(s)`;
  return String(item.type);
}

/** Renders the notifications of one turn until it completes; resolves with its status. */
async function renderTurn(items: AsyncIterable<NotificationItem>, turnId: () => string | null): Promise<string> {
  let streaming = false; // an agent message is being streamed on the current line
  for await (const item of items) {
    if (item.kind === "invalid") {
      // A notification that breaks the contract: reported; a refused `turn/completed` still ends the turn.
      console.error(`bad notification ${item.method}: ${item.error.message}`);
      if (item.method === "turn/completed") return "completed (refused by the decoder)";
      continue;
    }
    if (item.kind === "unknown") continue; // a newer server's notification
    const { notification } = item;
    switch (notification.method) {
      case "item/agentMessage/delta":
        process.stdout.write(`${streaming ? "" : "[streaming] "}${notification.params.delta}`);
        streaming = true;
        break;
      case "item/started":
        console.log(`[started] ${notification.params.item.type}`);
        break;
      case "item/completed":
        if (streaming) process.stdout.write("\n");
        streaming = false;
        console.log(`[completed] ${renderItem(notification.params.item)}`);
        break;
      case "turn/completed":
        if (notification.params.turn.id === turnId()) return notification.params.turn.status;
        break;
    }
  }
  throw new Error("the server closed the connection before the turn completed");
}

function parseArgs(argv: string[]): { prompt: string; command: string; args: string[] } | null {
  let prompt = "Fix the failing test: RUN cargo test";
  let rest = argv;
  if (rest[0] === "--prompt" && rest[1] !== undefined) {
    prompt = rest[1];
    rest = rest.slice(2);
  }
  const [command, ...args] = rest;
  return command === undefined ? null : { prompt, command, args };
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === null) {
    console.error("usage: node client.js [--prompt TEXT] <program> [args…]");
    return 2;
  }
  const { transport, exited } = spawnTransport(parsed.command, parsed.args);
  const client = new Client(transport, {
    timeoutMs: 30_000,
    onBadLine: (error) => console.error(`bad line from the server: ${error.code} ${error.message}`),
  });
  // Approve what the turn asks for; a real client would ask the user. Each answer is typed by
  // its method: `{ decision: "approved" }` here would not compile.
  client.handle("item/commandExecution/requestApproval", (params) => {
    console.log(`[approval] command ${params.itemId}: ${params.reason ?? "no reason"} → accept`);
    return { decision: "accept" };
  });
  client.handle("item/fileChange/requestApproval", (params) => {
    console.log(`[approval] file change ${params.itemId} → accept`);
    return { decision: "accept" };
  });

  const hello = await client.request("initialize", { clientInfo: { name: "reference-client-ts", version: "0.64.0" } });
  console.log(`connected to ${hello.userAgent}`);
  await client.notify("initialized");

  const threads = await client.request("thread/list", { limit: 10 });
  console.log(`${threads.data.length} stored thread(s)${threads.nextCursor === null ? "" : ", more"}`);

  const { thread } = await client.request("thread/start", {});
  console.log(`thread ${thread.id}`);
  // Listen before the turn starts, so that none of its notifications is missed.
  const notifications = client.notifications();
  let turnId: string | null = null;
  const done = renderTurn(notifications, () => turnId);
  const { turn } = await client.request("turn/start", { threadId: thread.id, input: [{ type: "text", text: parsed.prompt }] });
  turnId = turn.id;
  console.log(`turn ${turn.id} started`);

  const status = await done;
  console.log(`turn completed: ${status}`);
  await client.close(); // the server exits when its input closes
  const { code, error } = await exited;
  if (error !== undefined) throw error;
  return code === 0 && status === "completed" ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
