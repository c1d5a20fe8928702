// The size of the package's runtime as a bundler ships it: `@app-server/protocol` (every
// constant, guard and decoder, the schema, and Ajv) bundled and minified by the pinned esbuild,
// then gzipped. `node size.mjs` prints it; test/size.test.mjs holds README.md to it.

import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Bundles `entry` (minified ESM); returns its size and gzipped size in bytes. */
export async function measure(entry, external = []) {
  const result = await build({
    stdin: { contents: entry, resolveDir: import.meta.dirname ?? new URL(".", import.meta.url).pathname },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    external,
    write: false,
    logLevel: "silent",
  });
  const bytes = result.outputFiles[0].contents;
  return { minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

/** The whole runtime with Ajv, and the package's own share (Ajv left out). */
export async function runtimeSize() {
  const entry = 'export * from "@app-server/protocol"; export * as v2 from "@app-server/protocol/v2";';
  return {
    total: await measure(entry),
    own: await measure(entry, ["ajv", "ajv/*"]),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { total, own } = await runtimeSize();
  console.log(`with Ajv: ${total.minified} bytes minified, ${total.gzipped} bytes gzipped`);
  console.log(`without Ajv: ${own.minified} bytes minified, ${own.gzipped} bytes gzipped`);
}
