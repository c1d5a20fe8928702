// What `JSON.parse` does not tell and the Rust decoder judges: how a number was written (an
// integer member refuses `10.0` and `1e1`), strings with a lone surrogate escape (a Rust
// string refuses them), members written twice in one object (a struct refuses a known one),
// and containers nested deeper than the decoder's limit (128 levels from the message). The
// line is scanned once for these, by JSON pointer; the marks codegen puts on the decode
// contract where a type reads such a value (`x-integer`, `x-string`, `x-struct`, `x-any`, see
// tables.rs) refuse them where the Rust decoder would (`lexicalError`, called by validate.js).

/** The most levels of nested arrays and objects the Rust decoder reads. */
export const MAX_NESTING = 128;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const escapeSegment = (s) => String(s).replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * Scans a line that `JSON.parse` accepted; returns its findings by JSON pointer, or null when
 * there is nothing to judge (no fraction or exponent, no `\u` escape, no duplicate, no deep
 * nesting: the common case).
 */
export function scanLine(line) {
  const floats = new Set();
  const strings = new Set();
  const duplicates = new Map();
  const deep = [];
  const frames = [];
  let found = false;
  const here = () => {
    const frame = frames[frames.length - 1];
    if (frame === undefined) return "";
    return `${frame.pointer}/${escapeSegment(frame.array ? frame.index : frame.key)}`;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "{" || c === "[") {
      const pointer = here();
      if (frames.length + 1 === MAX_NESTING + 1) {
        deep.push(pointer);
        found = true;
      }
      frames.push({ array: c === "[", pointer, index: 0, key: null, keys: new Set(), expectKey: c === "{" });
    } else if (c === "}" || c === "]") {
      frames.pop();
    } else if (c === ",") {
      const frame = frames[frames.length - 1];
      if (frame.array) frame.index++;
      else frame.expectKey = true;
    } else if (c === '"') {
      const start = i;
      for (i++; line[i] !== '"'; i++) if (line[i] === "\\") i++;
      const frame = frames[frames.length - 1];
      const raw = line.slice(start, i + 1);
      if (frame !== undefined && !frame.array && frame.expectKey) {
        const key = raw.includes("\\") ? JSON.parse(raw) : raw.slice(1, -1);
        if (frame.keys.has(key)) {
          if (!duplicates.has(frame.pointer)) duplicates.set(frame.pointer, []);
          duplicates.get(frame.pointer).push(key);
          found = true;
        }
        frame.keys.add(key);
        frame.key = key;
        frame.expectKey = false;
      } else if (raw.includes("\\u") && LONE_SURROGATE.test(JSON.parse(raw))) {
        strings.add(here());
        found = true;
      }
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      let j = i;
      while (j + 1 < line.length && /[0-9eE.+-]/.test(line[j + 1])) j++;
      if (/[.eE]/.test(line.slice(i, j + 1))) {
        floats.add(here());
        found = true;
      }
      i = j;
    }
  }
  return found ? { floats, strings, duplicates, deep } : null;
}

// The JSON pointer of `path` (segments) below `base`.
const pointerOf = (base, path) => base + path.map((s) => `/${escapeSegment(s)}`).join("");
// The segments of `pointer`, a pointer at or below `base`, relative to `base`.
const segmentsBelow = (base, pointer) =>
  pointer === base ? [] : pointer.slice(base.length + 1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));

// The first finding of `list` at or below `pointer`.
const firstBelow = (list, pointer) => {
  for (const found of list) if (found === pointer || found.startsWith(`${pointer}/`)) return found;
  return undefined;
};

const fault = (keyword, at, message) => ({ keyword, at, params: {}, parentSchema: undefined, message });

/**
 * What the marks of `node` find wrong in `value` at `path` (segments below the checked value,
 * whose pointer in the message is `cx.base`) with the findings `cx.scan` of the line, in the
 * order of the marks: an integer written as a float, a lone surrogate in a string, a known
 * member written twice, a value nested too deeply or holding a lone surrogate. Null when none.
 */
export function lexicalError(node, value, path, cx) {
  const { scan, base } = cx;
  if (node["x-integer"] === true && typeof value === "number" && scan.floats.has(pointerOf(base, path))) {
    return fault("x-integer", [...path], "expected an integer, found a number written as a float");
  }
  if (node["x-string"] === true && typeof value === "string" && scan.strings.has(pointerOf(base, path))) {
    return fault("x-string", [...path], "expected a string, found a lone surrogate escape in it");
  }
  if (node["x-struct"] === true && value !== null && typeof value === "object") {
    const twice = (scan.duplicates.get(pointerOf(base, path)) ?? []).find((key) => Object.hasOwn(node.properties ?? {}, key));
    if (twice !== undefined) return fault("x-struct", [...path, twice], `duplicate member \`${twice}\``);
  }
  if (node["x-any"] === true) {
    const pointer = pointerOf(base, path);
    const tooDeep = firstBelow(scan.deep, pointer);
    if (tooDeep !== undefined) {
      return fault("x-any", segmentsBelow(base, tooDeep), `nested too deeply: more than ${MAX_NESTING} levels of arrays and objects`);
    }
    const lone = firstBelow(scan.strings, pointer);
    if (lone !== undefined) return fault("x-any", segmentsBelow(base, lone), "expected a string, found a lone surrogate escape in it");
  }
  return null;
}

/**
 * Why a parsed JSON value cannot be read as the Rust decoder reads any JSON value (what it
 * keeps of a notification it does not know), or null: a container nested past the limit, a
 * lone surrogate in a string or member name, a number out of range.
 */
export function unreadable(value) {
  const todo = [[value, 1]];
  while (todo.length > 0) {
    const [node, depth] = todo.pop();
    if (typeof node === "number" && !Number.isFinite(node)) return "number out of range";
    if (typeof node === "string" && LONE_SURROGATE.test(node)) return "lone surrogate in a string";
    if (node === null || typeof node !== "object") continue;
    // serde_json reads a value on its own (the params) 127 levels deep at most.
    if (depth >= MAX_NESTING) return `nested too deeply: more than ${MAX_NESTING - 1} levels of arrays and objects`;
    for (const [key, child] of Object.entries(node)) {
      if (LONE_SURROGATE.test(key)) return "lone surrogate in a member name";
      todo.push([child, depth + 1]);
    }
  }
  return null;
}

