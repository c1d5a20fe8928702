// The example of the package's README (generated/typescript/README.md), verbatim: a test in
// test/package.test.mjs keeps the two equal; the CI's tsc steps compile it.
import {
  ClientRequestMethod,
  PendingRequests,
  decodeServerMessage,
  isLegacyEvent,
  isServerNotification,
  type ClientPendingRequests,
} from "@app-server/protocol";
import { isThreadItem } from "@app-server/protocol/v2";

const pending: ClientPendingRequests = new PendingRequests();
const id = pending.nextId();
pending.register(id, ClientRequestMethod.ThreadList); // then send {"id":1,"method":"thread/list",…}

// Handles one line the server sent; true once the turn has ended.
function onLine(line: string): boolean {
  const decoded = decodeServerMessage(line, pending);
  if (!decoded.ok) {
    // decoded.error.code: -32700 … -32603; decoded.error.path: "params.threadId", …
    console.error(decoded.error.message);
    // A refused notification keeps its method: a `turn/completed` that breaks the contract
    // (a 0.63 server leaves out `threadId`) still ends the turn, so a loop does not hang.
    return decoded.error.notificationMethod === "turn/completed";
  }
  if (decoded.kind === "unknownNotification") return false; // a newer server's: method, raw params
  if (decoded.kind === "response" && decoded.method === "thread/list") {
    console.log(decoded.message.result.data.length, decoded.message.result.nextCursor);
  }
  if (decoded.kind !== "notification") return false;
  if (isLegacyEvent(decoded.message)) return false; // codex/event/{type}: a v2 client may ignore it
  if (isServerNotification(decoded.message, "item/completed")) {
    const item = decoded.message.params.item;
    if (isThreadItem(item, "agentMessage")) console.log(item.text);
  }
  return decoded.method === "turn/completed";
}
