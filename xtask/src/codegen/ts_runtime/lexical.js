// What `JSON.parse` does not tell and the Rust decoder judges: how a number was written (an
// integer member refuses `10.0` and `1e1`), strings with a lone surrogate escape (a Rust
// string refuses them), members written twice in one object (a struct refuses a known one),
// and containers nested deeper than the decoder's limit (128 levels from the message). The
// line is scanned once for these, by JSON pointer; Ajv keywords (added to the schema by
// tables.rs where a type reads such a value) refuse them where the Rust decoder would.

/** The most levels of nested arrays and objects the Rust decoder reads. */
export const MAX_NESTING = 128;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const escapeSegment = (s) => String(s).replaceAll("~", "~0").replaceAll("/", "~1");

// Where the scan of the current line is while a payload is validated: its findings, and the
// pointer of the value being validated (the validator's root) within the message.
let current = null;

/** Runs `validate` on `value` at `base` (a JSON pointer in the message) with the findings of `scan`. */
export function withScan(scan, base, run) {
  const saved = current;
  current = scan === null ? null : { scan, base };
  try {
    return run();
  } finally {
    current = saved;
  }
}

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

// The pointer, within the message, of the value a keyword judges.
const pointerOf = (dataCxt) => `${current.base}${dataCxt.instancePath}`;
// An error at `pointer` (within the message), as Ajv reports it (relative to the validator's root).
const errorAt = (keyword, pointer, message) => ({ keyword, message, params: {}, instancePath: pointer.slice(current.base.length) });

// The first finding of `list` at or below `pointer`.
const firstBelow = (list, pointer) => {
  for (const found of list) if (found === pointer || found.startsWith(`${pointer}/`)) return found;
  return undefined;
};

/** The Ajv keywords that judge the findings where a type reads the value. */
export const KEYWORDS = [
  {
    // An integer member: written as an integer.
    keyword: "x-integer",
    schemaType: "boolean",
    validate: function integer(_schema, data, _parent, dataCxt) {
      if (current === null || typeof data !== "number") return true;
      if (!current.scan.floats.has(pointerOf(dataCxt))) return true;
      integer.errors = [errorAt("x-integer", pointerOf(dataCxt), "expected an integer, found a number written as a float")];
      return false;
    },
  },
  {
    // A string member: no lone surrogate.
    keyword: "x-string",
    schemaType: "boolean",
    validate: function string(_schema, data, _parent, dataCxt) {
      if (current === null || typeof data !== "string") return true;
      if (!current.scan.strings.has(pointerOf(dataCxt))) return true;
      string.errors = [errorAt("x-string", pointerOf(dataCxt), "expected a string, found a lone surrogate escape in it")];
      return false;
    },
  },
  {
    // A struct: no member it knows written twice.
    keyword: "x-struct",
    schemaType: "boolean",
    validate: function struct(_schema, data, parent, dataCxt) {
      if (current === null || data === null || typeof data !== "object") return true;
      const pointer = pointerOf(dataCxt);
      const twice = (current.scan.duplicates.get(pointer) ?? []).find((key) => Object.hasOwn(parent.properties ?? {}, key));
      if (twice === undefined) return true;
      struct.errors = [errorAt("x-struct", `${pointer}/${escapeSegment(twice)}`, `duplicate member \`${twice}\``)];
      return false;
    },
  },
  {
    // Any JSON value a type reads: no container past the nesting limit, no lone surrogate.
    keyword: "x-any",
    schemaType: "boolean",
    validate: function any(_schema, _data, _parent, dataCxt) {
      if (current === null) return true;
      const pointer = pointerOf(dataCxt);
      const tooDeep = firstBelow(current.scan.deep, pointer);
      if (tooDeep !== undefined) {
        any.errors = [errorAt("x-any", tooDeep, `nested too deeply: more than ${MAX_NESTING} levels of arrays and objects`)];
        return false;
      }
      const lone = firstBelow(current.scan.strings, pointer);
      if (lone === undefined) return true;
      any.errors = [errorAt("x-any", lone, "expected a string, found a lone surrogate escape in it")];
      return false;
    },
  },
];

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

