// The checker of the decode contract: validates a value against a definition of `schema.js`
// (the bundle codegen renders: references, discriminators, lexical marks and union variants
// all resolved there) by walking it, with no code generated at run time (no `eval`, no
// `new Function`: it runs under a Content-Security-Policy without `unsafe-eval`) and no
// dependency.
//
// A check stops at the first problem and reports it as one error, in the order a JSON Schema
// validator that stops early takes the keywords (Ajv's order: the keywords of any type — `$ref`,
// `const`, `enum`, `not`, `anyOf`, `oneOf`, `allOf`, `if` and the lexical marks — first, then
// those of numbers, strings, arrays and objects; a single `type` whose keywords are present is
// checked with them): the decoder's explanation of an error (decode.js) was written against
// that order. A union's error is the union's; the decoder tries its variants one by one.
//
// error: { keyword, at: path segments below the checked value, params, parentSchema, message }

import schema from "./schema.js";
import { lexicalError } from "./lexical.js";

const DEFS = schema.$defs;

const resolved = new Map();

/** The definition that `ref` (`#/$defs/<name>`, JSON pointer escapes) names. */
export function resolve(ref) {
  let found = resolved.get(ref);
  if (found === undefined) {
    const name = ref.slice("#/$defs/".length).replaceAll("~1", "/").replaceAll("~0", "~");
    found = DEFS[name];
    if (found === undefined) throw new Error(`app-server-protocol: no definition ${ref} in schema.js`);
    resolved.set(ref, found);
  }
  return found;
}

/** The definition named `def`. */
export const definition = (def) => resolve(`#/$defs/${def.replaceAll("~", "~0").replaceAll("/", "~1")}`);

/**
 * Checks `value` against the schema `node`; `scan` holds what `JSON.parse` hid in the line
 * (lexical.js, or null), `base` the JSON pointer of `value` in the message. Returns the first
 * problem, or null.
 */
export function check(node, value, scan = null, base = "") {
  return validate(node, value, [], { scan, base });
}

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

const TYPE_CHECKS = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => typeof v === "number" && Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
  object: isObject,
  array: Array.isArray,
};

// The keywords of each group of types, in the order they are checked.
const GROUPS = [
  ["number", ["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "format"]],
  ["string", ["maxLength", "minLength", "pattern", "format"]],
  ["array", ["maxItems", "minItems", "uniqueItems", "prefixItems", "items", "contains"]],
  ["object", ["maxProperties", "minProperties", "required", "propertyNames", "additionalProperties", "properties", "patternProperties", "discriminator"]],
];
const GROUP_OF = Object.fromEntries(GROUPS);

// Formats: integer and float formats carry their bounds as `minimum`/`maximum`; the rest only
// annotate, but for a uuid.
const FORMATS = {
  uuid: /^(?:urn:uuid:)?(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\})$/i,
};

const fault = (keyword, path, params, parentSchema, message) => ({ keyword, at: [...path], params, parentSchema, message });

const typesOf = (node) => (node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type]);
const fits = (types, value) => types.some((t) => TYPE_CHECKS[t]?.(value) ?? true);

// Whether `node` has a keyword of the group of `type` (then its type is checked with them).
const hasGroup = (node, type) => (GROUP_OF[type] ?? []).some((keyword) => node[keyword] !== undefined);

function typeFault(node, path) {
  return fault("type", path, { type: node.type }, node, `must be ${typesOf(node).join(",")}`);
}

const plans = new WeakMap();

// What a schema node asks, worked out once per node: its types, whether its one type is checked
// with the keywords of its group, and the groups it has keywords of.
function planOf(node) {
  let plan = plans.get(node);
  if (plan === undefined) {
    const types = typesOf(node);
    plan = {
      types,
      checkedWithGroup: types.length === 1 && hasGroup(node, types[0]),
      groups: GROUPS.map(([type]) => type).filter((type) => hasGroup(node, type)),
    };
    plans.set(node, plan);
  }
  return plan;
}

function validate(node, value, path, cx) {
  if (node === true) return null;
  if (node === false) return fault("false schema", path, {}, node, "boolean schema is false");
  const { types, checkedWithGroup, groups } = planOf(node);
  if (types.length > 0 && !checkedWithGroup && !fits(types, value)) return typeFault(node, path);
  const problem = anyType(node, value, path, cx);
  if (problem !== null) return problem;
  for (const type of groups) {
    const isOfType = TYPE_CHECKS[type];
    if (isOfType(value)) {
      const checkGroup = GROUP_CHECKS[type];
      const found = checkGroup(node, value, path, cx);
      if (found !== null) return found;
    } else if (checkedWithGroup && types[0] === type) {
      return typeFault(node, path);
    }
  }
  return null;
}

// The keywords of any type, in order.
function anyType(node, value, path, cx) {
  if (node.$ref !== undefined) {
    const found = validate(resolve(node.$ref), value, path, cx);
    if (found !== null) return found;
  }
  if (own(node, "const") && !equal(value, node.const)) {
    return fault("const", path, { allowedValue: node.const }, node, "must be equal to constant");
  }
  if (node.enum !== undefined && !node.enum.some((allowed) => equal(value, allowed))) {
    return fault("enum", path, { allowedValues: node.enum }, node, "must be equal to one of the allowed values");
  }
  if (node.not !== undefined && validate(node.not, value, path, cx) === null) {
    return fault("not", path, {}, node, "must NOT be valid");
  }
  if (node.anyOf !== undefined && !node.anyOf.some((variant) => validate(variant, value, path, cx) === null)) {
    return fault("anyOf", path, {}, node, "must match a schema in anyOf");
  }
  if (node.oneOf !== undefined && node.discriminator === undefined) {
    const passing = [];
    node.oneOf.forEach((variant, i) => {
      if (validate(variant, value, path, cx) === null) passing.push(i);
    });
    if (passing.length !== 1) {
      return fault("oneOf", path, { passingSchemas: passing.length === 0 ? null : passing }, node, "must match exactly one schema in oneOf");
    }
  }
  for (const part of node.allOf ?? []) {
    const found = validate(part, value, path, cx);
    if (found !== null) return found;
  }
  if (node.if !== undefined) {
    const branch = validate(node.if, value, path, cx) === null ? "then" : "else";
    if (node[branch] !== undefined && validate(node[branch], value, path, cx) !== null) {
      return fault("if", path, { failingKeyword: branch }, node, `must match "${branch}" schema`);
    }
  }
  return cx.scan === null ? null : lexicalError(node, value, path, cx);
}

const GROUP_CHECKS = {
  number(node, value, path) {
    if (node.maximum !== undefined && !(value <= node.maximum)) {
      return fault("maximum", path, { comparison: "<=", limit: node.maximum }, node, `must be <= ${node.maximum}`);
    }
    if (node.minimum !== undefined && !(value >= node.minimum)) {
      return fault("minimum", path, { comparison: ">=", limit: node.minimum }, node, `must be >= ${node.minimum}`);
    }
    return null;
  },
  string(node, value, path) {
    if (node.pattern !== undefined && !patternOf(node.pattern).test(value)) {
      return fault("pattern", path, { pattern: node.pattern }, node, `must match pattern "${node.pattern}"`);
    }
    const format = FORMATS[node.format];
    if (format !== undefined && !format.test(value)) {
      return fault("format", path, { format: node.format }, node, `must match format "${node.format}"`);
    }
    return null;
  },
  array(node, value, path, cx) {
    if (node.items === undefined) return null;
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      const found = validate(node.items, value[i], path, cx);
      path.pop();
      if (found !== null) return found;
    }
    return null;
  },
  object(node, value, path, cx) {
    for (const name of node.required ?? []) {
      if (!own(value, name)) {
        return fault("required", path, { missingProperty: name }, node, `must have required property '${name}'`);
      }
    }
    const members = node.properties ?? {};
    if (node.additionalProperties !== undefined && node.additionalProperties !== true) {
      for (const name of Object.keys(value)) {
        if (own(members, name)) continue;
        if (node.additionalProperties === false) {
          return fault("additionalProperties", path, { additionalProperty: name }, node, "must NOT have additional properties");
        }
        const found = member(node.additionalProperties, value, name, path, cx);
        if (found !== null) return found;
      }
    }
    for (const name of Object.keys(members)) {
      if (!own(value, name)) continue;
      const found = member(members[name], value, name, path, cx);
      if (found !== null) return found;
    }
    return node.discriminator === undefined ? null : discriminated(node, value, path, cx);
  },
};

function member(node, object, name, path, cx) {
  path.push(name);
  const found = validate(node, object[name], path, cx);
  path.pop();
  return found;
}

const patterns = new Map();
function patternOf(source) {
  let pattern = patterns.get(source);
  if (pattern === undefined) {
    pattern = new RegExp(source, "u");
    patterns.set(source, pattern);
  }
  return pattern;
}

// A union tagged by a member: the variant its tag names, checked alone; a tag that is not a
// string or names no variant is the union's error, at the tag.
function discriminated(node, value, path, cx) {
  const tagName = node.discriminator.propertyName;
  const tag = value[tagName];
  const index = typeof tag === "string" ? mappingOf(node).get(tag) : undefined;
  if (index === undefined) {
    return fault("discriminator", path, { error: typeof tag === "string" ? "mapping" : "tag", tag: tagName, tagValue: tag }, node,
      typeof tag === "string" ? `value of tag "${tagName}" must be in oneOf` : `tag "${tagName}" must be string`);
  }
  return validate(node.oneOf[index], value, path, cx);
}

const mappings = new WeakMap();
// Tag value → the index of its variant, for a union with a discriminator.
function mappingOf(node) {
  let mapping = mappings.get(node);
  if (mapping !== undefined) return mapping;
  mapping = new Map();
  const tagName = node.discriminator.propertyName;
  node.oneOf.forEach((variant, i) => {
    // A variant that names its tag itself beside a `$ref` is read as it is; a bare `$ref`, where it points.
    const resolved = variant.$ref !== undefined && variant.properties === undefined ? resolve(variant.$ref) : variant;
    const tag = resolved.properties?.[tagName] ?? {};
    for (const value of own(tag, "const") ? [tag.const] : tag.enum ?? []) {
      if (!mapping.has(value)) mapping.set(value, i);
    }
  });
  mappings.set(node, mapping);
  return mapping;
}

/** Deep equality of JSON values. */
export function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => own(b, key) && equal(a[key], b[key]));
}
