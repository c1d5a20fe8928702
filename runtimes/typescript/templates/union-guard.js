/**
 * Whether `value` is a valid `{{name}}`, as its receiver decodes it (validated against the
 * decode contract), and when `{{tag}}` is given, the variant with that `{{tag}}`: narrows to it.
 */
export function is{{name}}(value, {{tag}}) {
  return ({{tag}} === undefined || (typeof value === "object" && value !== null && value[{{tag_text}}] === {{tag}})) && validates({{def}}, value);
}

