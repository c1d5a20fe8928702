// The package installs anywhere, as a user installs it: into an empty folder by path (npm links
// the folder), from the `npm pack` tarball (npm copies it), and through a bundler (esbuild over
// the installed copy). Each import runs in a fresh node process from that folder. Offline: the
// package has no dependency, so npm needs no registry (`--offline` makes sure of it).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";

import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, "../../../generated/typescript");
const { name } = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
const scratch = mkdtempSync(path.join(tmpdir(), "app-server-protocol-install-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });
const npmInstall = (cwd, spec) =>
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", spec], cwd);

/** A fresh empty folder with a package.json, as `npm init -y` leaves it. */
function emptyProject(label) {
  const dir = mkdtempSync(path.join(scratch, `${label}-`));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `consumer-${label}`, private: true }));
  return dir;
}

// What the user ran: the package's exports, listed from a fresh process.
const EXPORTS_OF = `import(${JSON.stringify(name)}).then((m) => console.log(JSON.stringify(Object.keys(m))))`;

// The names a user reaches for first.
const EXPECTED = ["decodeServerMessage", "decodeClientMessage", "PendingRequests", "ClientRequestMethod", "Client"];

function assertExports(stdout) {
  const keys = JSON.parse(stdout);
  for (const key of EXPECTED) assert.ok(keys.includes(key), `${key} missing from ${stdout}`);
}

// A decode from the installed copy: the decode contract loads and checks without code generation.
const DECODES = `import(${JSON.stringify(name)}).then((m) => {
  const d = m.decodeServerMessage('{"method":"turn/started","params":{}}', new m.PendingRequests());
  console.log(JSON.stringify({ ok: d.ok, path: d.ok ? null : d.error.path }));
})`;

test("npm install <folder> into an empty project: the package imports and decodes", () => {
  const dir = emptyProject("folder");
  npmInstall(dir, pkgDir);
  assertExports(run("node", ["-e", EXPORTS_OF], dir));
  assert.deepEqual(JSON.parse(run("node", ["-e", DECODES], dir)), { ok: false, path: "params.threadId" });
  const installed = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  assert.ok(installed.dependencies?.[name], "npm recorded the dependency");
});

test("npm install <tarball> (npm pack) into an empty project: the package imports and decodes", () => {
  const packDir = mkdtempSync(path.join(scratch, "pack-"));
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir, pkgDir], scratch));
  assert.ok(packed.files.some((f) => f.path === "LICENSE"), "the tarball carries the LICENSE");
  const dir = emptyProject("tarball");
  npmInstall(dir, path.join(packDir, packed.filename));
  assertExports(run("node", ["-e", EXPORTS_OF], dir));
  assert.deepEqual(JSON.parse(run("node", ["-e", DECODES], dir)), { ok: false, path: "params.threadId" });
});

test("through a bundler (esbuild, browser platform): one file that runs with nothing installed beside it", async () => {
  const dir = emptyProject("bundler");
  npmInstall(dir, pkgDir);
  const entry = `import { decodeServerMessage, PendingRequests, Client } from ${JSON.stringify(name)};
const d = decodeServerMessage('{"method":"turn/started","params":{}}', new PendingRequests());
console.log(JSON.stringify({ ok: d.ok, path: d.ok ? null : d.error.path, client: typeof Client }));`;
  const result = await build({
    stdin: { contents: entry, resolveDir: dir },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const bundled = path.join(scratch, "bundle.mjs");
  writeFileSync(bundled, result.outputFiles[0].contents);
  assert.deepEqual(JSON.parse(run("node", [bundled], scratch)), { ok: false, path: "params.threadId", client: "function" });
  const text = result.outputFiles[0].text;
  assert.ok(!/\bnew Function\b|\beval\(/.test(text), "the bundle generates no code at run time");
  assert.ok(!/from\s*"node:|require\("node:/.test(text), "the browser path imports nothing of Node");
});

test("ESM only, and said so: require() is refused by the exports map, the README names it", () => {
  const dir = emptyProject("require");
  npmInstall(dir, pkgDir);
  assert.throws(
    () => run("node", ["-e", `require(${JSON.stringify(name)})`], dir),
    (err) => /ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_REQUIRE_ESM/.test(String(err.stderr)),
  );
  assert.match(readFileSync(path.join(pkgDir, "README.md"), "utf8"), /ESM only/);
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  assert.equal(pkg.type, "module");
  assert.deepEqual(pkg.dependencies ?? {}, {}, "no runtime dependency");
  assert.equal(pkg.license, "Apache-2.0");
  assert.equal(typeof pkg.repository?.url, "string");
});
