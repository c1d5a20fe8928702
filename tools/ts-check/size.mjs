// The size of the package's runtime as a bundler ships it, bundled and minified by the pinned
// esbuild, then gzipped: the decoder alone (`decodeServerMessage`, `decodeClientMessage`,
// `PendingRequests`: the decode contract and its checker come with them) and the whole package
// (every constant, guard, decoder and the client). `node size.mjs` prints both;
// test/size.test.mjs holds the package README to them.

import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Bundles `entry` (minified ESM); returns its size and gzipped size in bytes. */
export async function measure(entry) {
  const result = await build({
    stdin: { contents: entry, resolveDir: import.meta.dirname ?? new URL(".", import.meta.url).pathname },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0].contents;
  return { minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

/** The decoder alone, and the whole package. */
export async function runtimeSize() {
  return {
    decoder: await measure('export { decodeServerMessage, decodeClientMessage, PendingRequests } from "@app-server/protocol";'),
    whole: await measure('export * from "@app-server/protocol"; export * as v2 from "@app-server/protocol/v2";'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { decoder, whole } = await runtimeSize();
  console.log(`decoder: ${decoder.minified} bytes minified, ${decoder.gzipped} bytes gzipped`);
  console.log(`whole package: ${whole.minified} bytes minified, ${whole.gzipped} bytes gzipped`);
}
