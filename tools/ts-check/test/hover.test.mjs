// What an editor shows: the TypeScript language service (compiler API of the pinned
// TypeScript 5) reads the quick info (hover) of a method constant and of a deprecated one, and
// reports the deprecated one as such (editors strike it through).

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { test } from "node:test";

import ts from "typescript5";

const dir = path.dirname(fileURLToPath(new URL("../package.json", import.meta.url)));
const probe = path.join(dir, "hover-probe.ts");
const source = [
  'import { ClientRequestMethod, ServerNotificationMethod } from "@app-server/protocol";',
  "export const a = ClientRequestMethod.ThreadList;",
  "export const b = ClientRequestMethod.NewConversation;",
  "export const c = ServerNotificationMethod.TurnCompleted;",
  "",
].join("\n");

function service(moduleResolution) {
  const options = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, types: [],
    module: moduleResolution === "bundler" ? ts.ModuleKind.ESNext : ts.ModuleKind.NodeNext,
    moduleResolution: moduleResolution === "bundler" ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.NodeNext,
  };
  const host = {
    getScriptFileNames: () => [probe],
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) =>
      file === probe ? ts.ScriptSnapshot.fromString(source)
        : ts.sys.fileExists(file) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(file)) : undefined,
    getCurrentDirectory: () => dir,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (file) => file === probe || ts.sys.fileExists(file),
    readFile: (file) => (file === probe ? source : ts.sys.readFile(file)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

const hover = (ls, member) => {
  const info = ls.getQuickInfoAtPosition(probe, source.indexOf(member) + 1);
  assert.ok(info, `no quick info for ${member}`);
  return {
    display: ts.displayPartsToString(info.displayParts),
    documentation: ts.displayPartsToString(info.documentation),
    tags: (info.tags ?? []).map((t) => [t.name, ts.displayPartsToString(t.text)]),
  };
};

for (const resolution of ["bundler", "nodenext"]) {
  test(`hover over a method constant shows its wire name and documentation (${resolution})`, () => {
    const ls = service(resolution);
    const list = hover(ls, "ThreadList;");
    assert.match(list.display, /ThreadList: "thread\/list"/);
    assert.match(list.documentation, /Lists stored threads, newest first/);
    assert.match(list.documentation, /Wire name `thread\/list` \(API v2\)/);
    assert.deepEqual(list.tags, []);
    const completed = hover(ls, "TurnCompleted;");
    assert.match(completed.display, /"turn\/completed"/);
  });

  test(`hover over a deprecated method shows @deprecated with the replacement, and it is reported deprecated (${resolution})`, () => {
    const ls = service(resolution);
    const old = hover(ls, "NewConversation;");
    assert.match(old.display, /NewConversation: "newConversation"/);
    const deprecated = old.tags.find(([name]) => name === "deprecated");
    assert.ok(deprecated, `no @deprecated tag: ${JSON.stringify(old.tags)}`);
    assert.match(deprecated[1], /Use `thread\/start` instead/);
    const suggestions = ls.getSuggestionDiagnostics(probe);
    const struck = suggestions.filter((d) => d.reportsDeprecated);
    assert.equal(struck.length, 1, JSON.stringify(suggestions.map((d) => d.messageText)));
    assert.equal(source.slice(struck[0].start, struck[0].start + struck[0].length), "NewConversation");
    assert.deepEqual(ls.getSemanticDiagnostics(probe), []);
  });
}
