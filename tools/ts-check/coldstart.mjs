// Cold start of the decoder, as a Node process that has just started pays it: the time to
// import `@app-server/protocol` and the time of the first `decodeServerMessage` (an
// `item/completed` notification), each measured in a fresh node process, median of the runs.
// A benchmark, not a test: `node coldstart.mjs [runs]` prints the figures the package README
// states (measured on the machine that wrote them; they move with the machine).

import { execFileSync } from "node:child_process";

const CHILD = `
const t0 = performance.now();
const m = await import("@app-server/protocol");
const t1 = performance.now();
const line = JSON.stringify({ method: "item/completed", params: { threadId: "thr_1", turnId: "turn_1",
  item: { type: "agentMessage", id: "msg_1", text: "Done: 3 files changed." } } });
const decoded = m.decodeServerMessage(line, new m.PendingRequests());
const t2 = performance.now();
if (!decoded.ok) throw new Error(decoded.error.message);
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstDecodeMs: t2 - t1 }));
`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the measure `runs` times in fresh processes; returns the medians in milliseconds. */
export function coldStart(runs = 15) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", CHILD], {
      cwd: import.meta.dirname,
      timeout: 30_000,
    });
    samples.push(JSON.parse(out));
  }
  return {
    importMs: median(samples.map((s) => s.importMs)),
    firstDecodeMs: median(samples.map((s) => s.firstDecodeMs)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { importMs, firstDecodeMs } = coldStart(Number(process.argv[2] ?? 15));
  console.log(`node ${process.version}: import ${importMs.toFixed(1)} ms, first decode ${firstDecodeMs.toFixed(1)} ms (median)`);
}
