// Type-checks the hand-written runtime's JavaScript (runtimes/typescript, as codegen copied it
// into generated/typescript) with the pinned TypeScript, `checkJs`: a copy of the package
// without the runtime's own declarations (beside a `.js`, a `.d.ts` hides it from the checker),
// so that each module is checked against what it imports. The declarations themselves are
// compiled by the tsconfig.bundler/nodenext steps. `node check-runtime.mjs [tsc]`.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = path.join(here, process.argv[2] ?? "node_modules/typescript5/bin/tsc");
const copy = mkdtempSync(path.join(tmpdir(), "runtime-check-"));
try {
  cpSync(path.join(here, "../../generated/typescript"), copy, { recursive: true });
  const checked = [];
  for (const folder of ["runtime", "node"]) {
    for (const name of readdirSync(path.join(copy, folder)).filter((n) => n.endsWith(".js"))) {
      const declarations = path.join(copy, folder, name.replace(/\.js$/, ".d.ts"));
      if (existsSync(declarations)) rmSync(declarations);
      checked.push(`${folder}/${name}`);
    }
  }
  writeFileSync(path.join(copy, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      noEmit: true, allowJs: true, checkJs: true, strict: false, noImplicitThis: true,
      target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022", "dom"],
      types: ["node"], typeRoots: [path.join(here, "node_modules/@types")], skipLibCheck: true,
    },
    files: checked,
  }));
  execFileSync("node", [tsc, "-p", copy], { stdio: "inherit", timeout: 120_000 });
  console.log(`checked ${checked.length} runtime modules: ${checked.join(", ")}`);
} catch (error) {
  process.exitCode = 1;
  if (error.status === undefined) throw error;
} finally {
  rmSync(copy, { recursive: true, force: true });
}
