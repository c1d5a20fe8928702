// Validates the generated schemas with an independent implementation (Ajv):
// - each JSON Schema bundle against the draft 2020-12 meta-schema, and compiles it;
// - generated/openrpc.json against the OpenRPC 1.3 meta-schema (@open-rpc/meta-schema).
// Usage: node validate-schemas.mjs [GENERATED_DIR]   (default: ../../generated)
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openrpcDocument } from "@open-rpc/meta-schema";
import jsonSchemaToolsMeta from "@json-schema-tools/meta-schema";

const generated = resolve(process.argv[2] ?? "../../generated");
const integerFormats = ["int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float", "double"];
let failures = 0;

function report(label, errors) {
  failures += 1;
  console.error(`FAIL ${label}`);
  for (const error of errors ?? []) {
    console.error(`  ${error.instancePath || "/"} ${error.message} (${error.schemaPath})`);
  }
}

const ajv2020 = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv2020);
for (const format of integerFormats) ajv2020.addFormat(format, true);
// Our annotation keyword: an enum or union whose receivers map unknown values to a fallback.
ajv2020.addKeyword({ keyword: "x-open-enum", schemaType: "boolean" });
// The generator bundle's OpenAPI-style annotation of tagged unions (read by code generators).
ajv2020.addKeyword({ keyword: "discriminator", schemaType: "object" });
const schemaDir = join(generated, "schema");
for (const file of readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json")).sort()) {
  const bundle = JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
  if (!ajv2020.validateSchema(bundle)) {
    report(`schema/${file}: not a valid draft 2020-12 schema`, ajv2020.errors);
    continue;
  }
  try {
    ajv2020.compile(bundle);
    console.log(`ok   schema/${file}: valid against the 2020-12 meta-schema and compiles`);
  } catch (error) {
    report(`schema/${file}: does not compile: ${error.message}`, []);
  }
}

const ajv7 = new Ajv({ strict: false, allErrors: true, validateSchema: false });
const { $schema: _ignored, ...metaSchema } = openrpcDocument;
// The OpenRPC meta-schema describes `schema` members with the json-schema.tools meta-schema.
const { $schema: _alsoIgnored, ...schemaMeta } = jsonSchemaToolsMeta.default ?? jsonSchemaToolsMeta;
ajv7.addSchema(schemaMeta, "https://meta.json-schema.tools");
addFormats(ajv7);
const validateOpenRpc = ajv7.compile(metaSchema);
const document = JSON.parse(readFileSync(join(generated, "openrpc.json"), "utf8"));
if (validateOpenRpc(document)) {
  console.log(`ok   openrpc.json: valid against the OpenRPC ${document.openrpc} meta-schema (${document.methods.length} methods)`);
} else {
  report("openrpc.json: not a valid OpenRPC document", validateOpenRpc.errors);
}
process.exit(failures === 0 ? 0 : 1);
