import type { {{name}} } from "./{{types_prefix}}{{name}}.js";
/**
 * Whether `value` is a valid `{{name}}`, as its receiver decodes it (validated against the
 * decode contract), and when `{{tag}}` is given, the variant with that `{{tag}}`: narrows to it.
 */
export declare function is{{name}}(value: unknown): value is {{name}};
export declare function is{{name}}<T extends {{name}}[{{tag_text}}]>(value: unknown, {{tag}}: T): value is Extract<{{name}}, { {{tag}}: T }>;

