/**
 * The decode contract of every payload, as one JSON Schema (draft 2020-12) bundle: what the
 * receiver of a message accepts (optional members may be left out, open unions take unknown
 * tags). The decoders and guards check values against it (validate.js).
 */
declare const schema: { readonly $id: string; readonly $defs: Readonly<Record<string, unknown>> };
export default schema;
