// The TypeScript half of the differential test (`cargo xtask fixtures`, see
// xtask/src/fixtures/ts_decoder.rs): decodes every case with the package's decoders and prints
// one verdict per line, as a JSON array: {ok, kind, method} when accepted (`method` as it
// travels: a method family's full name; null for an error response), {ok, code, path,
// notificationMethod} when not.
//
// usage: node differential.mjs <package>/index.js <cases.json>
// cases.json: groups of lines (one group per connection): [{from, text, pending: [[id, method]]}]

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [packageIndex, casesPath] = process.argv.slice(2);
const { PendingRequests, decodeClientMessage, decodeServerMessage } = await import(
  pathToFileURL(packageIndex).href
);
const groups = JSON.parse(readFileSync(casesPath, "utf8"));

const verdicts = [];
for (const group of groups) {
  // What each side has sent and not yet seen answered.
  const sentBy = { client: new PendingRequests(), server: new PendingRequests() };
  for (const { from, text, pending } of group) {
    const requester = from === "client" ? "server" : "client";
    for (const [id, method] of pending) sentBy[requester].register(id, method);
    const decode = from === "client" ? decodeClientMessage : decodeServerMessage;
    let decoded;
    try {
      decoded = decode(text, sentBy[requester]);
    } catch (thrown) {
      verdicts.push({ ok: false, threw: String(thrown) });
      continue;
    }
    if (!decoded.ok) {
      const { code, path, notificationMethod } = decoded.error;
      verdicts.push({ ok: false, code, path, notificationMethod });
      continue;
    }
    if (decoded.kind === "request") sentBy[from].register(decoded.message.id, decoded.method);
    verdicts.push({ ok: true, kind: decoded.kind, method: decoded.kind === "error" ? null : decoded.method });
  }
}
process.stdout.write(JSON.stringify(verdicts));
