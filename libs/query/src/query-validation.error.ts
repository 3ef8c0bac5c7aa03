/** A query the engine refuses; `field` points into the request, e.g. `metrics[1]` or `filters[0][1]`. */
export class QueryValidationError extends Error {
  readonly code = 'invalid_query';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'QueryValidationError';
  }
}

/** ['filters', 0, 1] → `filters[0][1]`; ['include', 'comparisons', 'mode'] → `include.comparisons.mode`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || 'body';
}
