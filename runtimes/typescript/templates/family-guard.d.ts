
/**
 * Whether a message {{sender}} sent is a {{kind}} of the method family `{{family}}`
 * (any name of it): narrows to it.
 */
export declare function is{{variant}}(message: {{message}}): message is Extract<{{union}}, { method: {{name_type}} }>;

