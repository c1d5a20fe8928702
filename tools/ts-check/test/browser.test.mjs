// The browser example (examples/browser-client) in headless Debian Chromium, driven by the
// pinned playwright-core (no browser download: /usr/bin/chromium): the page and the package
// (generated/typescript at /protocol/) are served by a small static server on 127.0.0.1 with
// `Content-Security-Policy: script-src 'self'`; the page talks to the mock's WebSocket
// (`app-server-kit mock --listen 127.0.0.1:0`), runs a turn, the test clicks the approval the
// page shows, and checks what the page shows at the end. A screenshot goes to
// target/browser-client.png. Chromium's flags keep it off the network (this machine's is closed).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";

import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(new URL("../package.json", import.meta.url)));
const root = path.resolve(here, "../..");
const kit = process.env.APP_SERVER_KIT ?? path.join(root, "target/debug/app-server-kit");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CSP = "script-src 'self'";

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json" };

/** Serves `mounts` (URL prefix → folder) on 127.0.0.1 with the CSP header; resolves with its origin. */
function serve(mounts) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, "http://localhost");
    const mount = Object.keys(mounts).find((prefix) => url.pathname.startsWith(prefix));
    const folder = mount === undefined ? undefined : mounts[mount];
    const file = folder === undefined ? undefined : path.resolve(folder, `.${decodeURIComponent(url.pathname.slice(mount.length - 1))}`);
    if (file === undefined || !file.startsWith(folder + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Content-Security-Policy": CSP,
      "Cache-Control": "no-store",
    });
    response.end(readFileSync(file));
  });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/** Starts the mock on a WebSocket; resolves with its ws:// address (its stderr line). */
function startMock() {
  const mock = spawn(kit, ["mock", "--listen", "127.0.0.1:0", "--seed", "7", "--speed", "0"], { stdio: ["pipe", "ignore", "pipe"] });
  cleanups.push(() => mock.kill());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the mock did not say where it listens within 30 s")), 30_000);
    mock.once("error", reject);
    createInterface({ input: mock.stderr }).on("line", (line) => {
      const found = /listening on (ws:\/\/\S+)/.exec(line);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
}

test("the browser example runs a turn with an approval against the mock's WebSocket, under script-src 'self'", { timeout: 120_000 }, async () => {
  assert.ok(existsSync(browserPath), `no Chromium at ${browserPath}: \`apt-get install -y chromium\` (cargo xtask ci installs it when missing; or set CHROMIUM)`);
  assert.ok(existsSync(kit), `no mock at ${kit}: run \`cargo build -p app-server-kit\` (or set APP_SERVER_KIT)`);
  const origin = await serve({
    "/protocol/": path.join(root, "generated/typescript"),
    "/": path.join(root, "examples/browser-client"),
  });
  const ws = await startMock();
  const profile = mkdtempSync(path.join(tmpdir(), "chromium-profile-"));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    timeout: 60_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  const response = await page.goto(`${origin}/index.html?ws=${encodeURIComponent(ws)}`);
  assert.equal(response.headers()["content-security-policy"], CSP);

  // The page asks; the test answers as a user would, with a click.
  const approve = page.getByRole("button", { name: "Approve" });
  await approve.first().waitFor({ timeout: 30_000 });
  await approve.first().click();
  // Any later approval (the mock may ask for file changes too) gets the same answer.
  const status = page.locator("#status");
  for (let i = 0; i < 10 && !(await status.textContent()).startsWith("turn completed"); i++) {
    if ((await approve.count()) > 0) await approve.first().click();
    else await page.waitForTimeout(200);
  }
  await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("turn completed"), null, { timeout: 30_000 });

  assert.equal(await page.locator("#csp").textContent(), "eval blocked", "the CSP is in force (and the package needs no eval)");
  assert.match(await page.locator("#server").textContent(), /^app-server-kit-mock\//);
  assert.equal(await status.textContent(), "turn completed: completed");
  const items = await page.locator("#items li").allTextContents();
  assert.ok(items.some((t) => /^command: .+ \(exit \d+, \w+\)$/.test(t)), `no command completed: ${items}`);
  assert.ok(items.some((t) => t.startsWith("agent: ")), `no agent message: ${items}`);
  const answered = await page.locator(".approval.answered").allTextContents();
  assert.ok(answered.some((t) => /^Run command \(\S+\): .+ → accept/.test(t)), `no approval answered: ${answered}`);
  await page.screenshot({ path: path.join(root, "target/browser-client.png"), fullPage: true });
  // The page's own eval probe is the only thing the CSP may refuse.
  assert.deepEqual(problems.filter((p) => !/unsafe-eval|Function/.test(p)), []);
});
