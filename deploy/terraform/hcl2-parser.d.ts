// hcl2-parser (MIT) ships no types: parseToObject returns [body as JSON-like object, error or null].
declare module 'hcl2-parser' {
  export function parseToObject(text: string): [Record<string, unknown> | null, unknown];
}
