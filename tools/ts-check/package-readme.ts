// The example of the package's README (generated/typescript/README.md), verbatim: a test in
// test/package.test.mjs keeps the two equal; the CI's tsc steps compile it.
import {
  ClientRequestMethod,
  PendingRequests,
  decodeServerMessage,
  isServerNotification,
  type ClientPendingRequests,
} from "@app-server/protocol";
import { isThreadItem } from "@app-server/protocol/v2";

const pending: ClientPendingRequests = new PendingRequests();
const id = pending.nextId();
pending.register(id, ClientRequestMethod.ThreadList); // then send {"id":1,"method":"thread/list",…}

function onLine(line: string) {
  const decoded = decodeServerMessage(line, pending);
  if (!decoded.ok) {
    // decoded.error.code: -32700 … -32603; decoded.error.path: "params.threadId", …
    console.error(decoded.error.message);
    return;
  }
  if (decoded.kind === "response" && decoded.method === "thread/list") {
    console.log(decoded.message.result.data.length, decoded.message.result.nextCursor);
  }
  if (decoded.kind === "notification" && isServerNotification(decoded.message, "item/completed")) {
    const item = decoded.message.params.item;
    if (isThreadItem(item, "agentMessage")) console.log(item.text);
  }
}
