
/**
 * Whether a message {{sender}} sent is a {{kind}} of the method family `{{family}}`
 * (any name of it): narrows to it.
 */
export function is{{variant}}(message) {
  return isCall(message, {{with_id}}, methodSet({}, { {{variant}}: {{object}}.{{variant}} }));
}

