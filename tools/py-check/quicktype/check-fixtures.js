// Validates every wire fixture (its canonical form) with the runtime checks of the JavaScript
// that quicktype generated from generated/schema/generator.schema.json, then lines that must
// be refused. Usage: node check-fixtures.js <generated module> <repository root>
const fs = require("fs");
const path = require("path");
const { toAppServerMessage } = require(process.argv[2]);
const root = process.argv[3];
let ok = 0, bad = [];
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith(".jsonl")) {
      for (const line of fs.readFileSync(p, "utf8").split("\n")) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line);
        const message = entry.canonical ?? entry.message;
        try { toAppServerMessage(JSON.stringify(message)); ok++; } catch (err) { bad.push(p + ": " + String(err.message).slice(0, 200)); }
      }
    }
  }
}
for (const g of ["v1", "v2"]) walk(path.join(root, "fixtures", g));
const refused = [
  { id: 13, method: "thread/archive", params: { threadId: 42 } },
  { method: "item/started", params: { threadId: "t", turnId: "u", item: { type: "agentMessage", id: "i", text: 5 } } },
].filter((message) => {
  try { toAppServerMessage(JSON.stringify(message)); return false; } catch { return true; }
}).length;
console.log(JSON.stringify({ ok, bad: bad.length, first: bad.slice(0, 5), refused }));
