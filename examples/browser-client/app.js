// The browser client: the package's `Client` over a WebSocket, with no bundler and no inline
// script (it runs under `Content-Security-Policy: script-src 'self'`, which also forbids
// `eval`). The package is served beside the page at /protocol/ (tools/ts-check/test/browser.test.mjs
// serves generated/typescript there); a page of your own would import it from a bundle or an
// import map the same way.

import { Client, webSocketTransport } from "/protocol/index.js";
import { isThreadItem } from "/protocol/v2/index.js";

const $ = (id) => document.getElementById(id);

/** Shows whether the page may generate code (it must not: the CSP forbids `eval`). */
function showPolicy() {
  let evalAllowed = true;
  try {
    new Function("return 1")();
  } catch {
    evalAllowed = false;
  }
  $("csp").textContent = evalAllowed ? "eval allowed" : "eval blocked";
}

/** One line per completed item, by its type. */
function describe(item) {
  if (isThreadItem(item, "agentMessage")) return `agent: ${item.text}`;
  if (isThreadItem(item, "commandExecution")) return `command: ${item.command} (exit ${item.exitCode ?? "-"}, ${item.status})`;
  if (isThreadItem(item, "fileChange")) return `file change: ${item.changes.map((c) => c.path).join(", ")} (${item.status})`;
  if (isThreadItem(item, "reasoning")) return `reasoning: ${item.summary.join(" ")}`;
  if (isThreadItem(item, "userMessage")) return `user: ${item.content.length} input(s)`;
  return String(item.type);
}

/** Asks the user in the page; resolves with the decision the button says. */
function ask(text) {
  const box = document.createElement("div");
  box.className = "approval";
  const label = document.createElement("p");
  label.textContent = text;
  box.append(label);
  $("approvals").append(box);
  return new Promise((resolve) => {
    for (const [decision, caption] of [["accept", "Approve"], ["decline", "Decline"]]) {
      const button = document.createElement("button");
      button.textContent = caption;
      button.addEventListener("click", () => {
        box.classList.add("answered");
        box.querySelectorAll("button").forEach((b) => b.remove());
        label.textContent = `${text} → ${decision}`;
        resolve(decision);
      });
      box.append(button);
    }
  });
}

async function main() {
  showPolicy();
  const url = new URLSearchParams(location.search).get("ws");
  if (url === null) {
    $("server").textContent = "no ?ws= in the address";
    return;
  }
  const client = new Client(webSocketTransport(url), { timeoutMs: 30_000 });
  client.handle("item/commandExecution/requestApproval", async (params) => ({
    decision: await ask(`Run command (${params.itemId}): ${params.reason ?? "no reason given"}`),
  }));
  client.handle("item/fileChange/requestApproval", async (params) => ({
    decision: await ask(`Apply file change (${params.itemId})`),
  }));
  client.on("item/agentMessage/delta", (params) => ($("streaming").textContent += params.delta));
  client.on("item/completed", (params) => {
    const li = document.createElement("li");
    li.textContent = describe(params.item);
    $("items").append(li);
    $("streaming").textContent = "";
  });

  const hello = await client.request("initialize", { clientInfo: { name: "browser-client", version: "0.64.0" } });
  $("server").textContent = hello.userAgent;
  await client.notify("initialized");
  const { thread } = await client.request("thread/start", {});
  $("thread").textContent = thread.id;
  const items = client.notifications();
  const { turn } = await client.request("turn/start", { threadId: thread.id, input: [{ type: "text", text: "Fix the failing test: RUN cargo test" }] });
  $("status").textContent = `turn ${turn.id} running`;
  for await (const item of items) {
    if (item.kind === "notification" && item.notification.method === "turn/completed" && item.notification.params.turn.id === turn.id) {
      $("status").textContent = `turn completed: ${item.notification.params.turn.status}`;
      break;
    }
    if (item.kind === "invalid" && item.method === "turn/completed") {
      $("status").textContent = "turn completed (refused by the decoder)";
      break;
    }
  }
  await client.close();
}

main().catch((error) => {
  $("status").textContent = `failed: ${error.message}`;
});
