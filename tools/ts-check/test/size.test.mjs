// The package README states the runtime's size; it must be what the pinned esbuild measures now
// (within 3%, so that a small change to the table does not need a README edit, a large one does).
// The cold-start figures beside them are a benchmark's (coldstart.mjs), not held by a test.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { runtimeSize } from "../size.mjs";

const readme = readFileSync(new URL("../../../generated/typescript/README.md", import.meta.url), "utf8");

function stated(label) {
  const line = readme.split("\n").find((l) => l.includes(`| ${label} |`));
  assert.ok(line, `the package README has no size row "${label}"`);
  const [minified, gzipped] = [...line.matchAll(/([\d,]+) bytes/g)].map((m) => Number(m[1].replaceAll(",", "")));
  return { minified, gzipped };
}

const close = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.03, `${what}: README says ${expected}, measured ${actual}`);

test("the package README states the runtime's size as measured (esbuild, minified, gzip -9)", async () => {
  const { decoder, whole } = await runtimeSize();
  for (const [label, measured] of [["decoder alone", decoder], ["whole package", whole]]) {
    const readmeSays = stated(label);
    close(measured.minified, readmeSays.minified, `${label}, minified`);
    close(measured.gzipped, readmeSays.gzipped, `${label}, gzipped`);
  }
});

test("the decoder stays within its budget: 40 KB gzipped", async () => {
  const { decoder } = await runtimeSize();
  assert.ok(decoder.gzipped <= 40 * 1024, `the decoder is ${decoder.gzipped} bytes gzipped`);
});
