// The Client example of the package README (generated/typescript/README.md), compiled by the
// CI step "the package README's Client example" (tsconfig.readme-client.json); test/package.test.mjs
// holds the README to this file.
import { Client, ClosedError } from "@app-server/protocol";
import { spawnTransport } from "@app-server/protocol/node";

const { transport } = spawnTransport("codex", ["app-server"]);
const client = new Client(transport, { timeoutMs: 30_000 });
// The answer is typed by the method: `{ decision: "approved" }` (v1's) does not compile here.
client.handle("item/commandExecution/requestApproval", (params) => {
  console.log(`run ${params.itemId}? ${params.reason ?? ""}`);
  return { decision: "accept" };
});
client.on("item/agentMessage/delta", (params) => process.stdout.write(params.delta));

export async function run(prompt: string, signal: AbortSignal): Promise<string> {
  await client.request("initialize", { clientInfo: { name: "my-client", version: "1.0.0" } });
  await client.notify("initialized");
  const { thread } = await client.request("thread/start", {});
  const items = client.notifications({ capacity: 256, signal });
  await client.request("turn/start", { threadId: thread.id, input: [{ type: "text", text: prompt }] }, { signal });
  try {
    for await (const item of items) {
      if (item.kind === "notification" && item.notification.method === "turn/completed") {
        return item.notification.params.turn.status;
      }
      // A `turn/completed` that breaks the contract still ends the turn.
      if (item.kind === "invalid" && item.method === "turn/completed") return "completed";
    }
    return "the connection closed";
  } catch (error) {
    if (error instanceof ClosedError) return "the connection closed";
    throw error;
  }
}
