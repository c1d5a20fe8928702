// README.md states the runtime's size; it must be what the pinned esbuild measures now (within
// 3%, so that a small change to the table does not need a README edit, a large one does).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { runtimeSize } from "../size.mjs";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

function stated(label) {
  const line = readme.split("\n").find((l) => l.includes(`| ${label} |`));
  assert.ok(line, `README.md has no size row "${label}"`);
  const [minified, gzipped] = [...line.matchAll(/([\d,]+) bytes/g)].map((m) => Number(m[1].replaceAll(",", "")));
  return { minified, gzipped };
}

const close = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.03, `${what}: README says ${expected}, measured ${actual}`);

test("README.md states the runtime's size as measured (esbuild, minified, gzip -9)", async () => {
  const { total, own } = await runtimeSize();
  for (const [label, measured] of [["with Ajv", total], ["without Ajv", own]]) {
    const readmeSays = stated(label);
    close(measured.minified, readmeSays.minified, `${label}, minified`);
    close(measured.gzipped, readmeSays.gzipped, `${label}, gzipped`);
  }
});
