// The package as it would be published: `npm pack` holds what is intended (and nothing else),
// publint finds nothing (strict), @arethetypeswrong/cli finds no problem for the ESM entry
// points. Each tool is the pinned one in node_modules.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

import { publint } from "publint";
import { formatMessage } from "publint/utils";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, "../../../generated/typescript");
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });

function filesBelow(dir, prefix = "") {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesBelow(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

test("npm pack: every generated file, JavaScript and declarations only, the README and the LICENSE", () => {
  const [pack] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], pkgDir));
  assert.equal(pack.name, "@app-server/protocol");
  assert.equal(pack.version, "0.64.0");
  const packed = pack.files.map((f) => f.path).sort();
  assert.deepEqual(packed, filesBelow(pkgDir).sort(), "the tarball holds exactly what codegen wrote");
  for (const file of packed) {
    assert.ok(/\.(d\.ts|js)$/.test(file) || ["README.md", "LICENSE", "package.json"].includes(file), `unexpected ${file}`);
  }
  for (const entry of ["", "v2/", "serde_json/", "node/"]) {
    assert.ok(packed.includes(`${entry}index.js`), `${entry}index.js`);
    assert.ok(packed.includes(`${entry}index.d.ts`), `${entry}index.d.ts`);
  }
  for (const runtime of ["decode", "guards", "constants", "schema", "client", "websocket"]) {
    assert.ok(packed.includes(`runtime/${runtime}.js`) && packed.includes(`runtime/${runtime}.d.ts`), runtime);
  }
  // Internal modules, imported by the decoders only: no declarations.
  const internal = ["runtime/tables.js", "runtime/lexical.js", "runtime/validate.js", "runtime/messages.js"];
  for (const module of internal) assert.ok(packed.includes(module), module);
  // Every other JavaScript module has its declarations.
  for (const js of packed.filter((f) => f.endsWith(".js") && !internal.includes(f))) {
    assert.ok(packed.includes(js.replace(/\.js$/, ".d.ts")), `${js} has no .d.ts`);
  }
});

test("publint (strict): no error, warning or suggestion", async () => {
  const { messages, pkg } = await publint({ pkgDir, strict: true, level: "suggestion" });
  assert.deepEqual(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`), []);
});

test("@arethetypeswrong/cli: no problem for the ESM entry points", () => {
  const cli = path.resolve(here, "../node_modules/@arethetypeswrong/cli/dist/index.js");
  // esm-only: the package is ESM only, so resolution from CommonJS (node10, node16-cjs) is not judged.
  const output = run("node", [cli, "--pack", pkgDir, "--profile", "esm-only", "--format", "json"], here);
  const report = JSON.parse(output);
  // `problems`: kind → the problems of that kind.
  const problems = Object.values(report.problems ?? {}).flat();
  assert.ok(problems.every((p) => typeof p.resolutionKind === "string" || p.kind), "unexpected report shape");
  const judged = problems.filter((p) => !["node10", "node16-cjs"].includes(p.resolutionKind));
  assert.deepEqual(judged, []);
  const entrypoints = Object.keys(report.analysis?.entrypoints ?? {});
  assert.deepEqual(entrypoints.sort(), [".", "./node", "./package.json", "./serde_json", "./v2"]);
});

test("the package README's Client example is tools/ts-check/package-readme-client.ts, which a tsc step compiles", () => {
  const readme = readFileSync(path.join(pkgDir, "README.md"), "utf8");
  const example = readme.split("```ts\n")[2].split("```")[0];
  const compiled = readFileSync(path.join(here, "../package-readme-client.ts"), "utf8");
  const body = compiled.split("\n").filter((l, i, all) => !(l.startsWith("//") && all.slice(0, i).every((p) => p.startsWith("//")))).join("\n");
  assert.equal(body, example);
  assert.ok(readFileSync(path.join(here, "../tsconfig.readme-client.json"), "utf8").includes('"package-readme-client.ts"'));
});

test("the package README's example is tools/ts-check/package-readme.ts, which the tsc steps compile", () => {
  const readme = readFileSync(path.join(pkgDir, "README.md"), "utf8");
  const example = readme.split("```ts\n")[1].split("```")[0];
  const compiled = readFileSync(path.join(here, "../package-readme.ts"), "utf8");
  const body = compiled.split("\n").filter((l, i, all) => !(l.startsWith("//") && all.slice(0, i).every((p) => p.startsWith("//")))).join("\n");
  assert.equal(body, example);
  for (const config of ["tsconfig.bundler.json", "tsconfig.nodenext.json"]) {
    assert.ok(readFileSync(path.join(here, "..", config), "utf8").includes('"package-readme.ts"'), config);
  }
});
