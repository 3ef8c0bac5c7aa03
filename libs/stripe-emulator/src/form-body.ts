/** A nested form value as Stripe's SDK encodes it (`a[b][0][c]=v`). */
export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** Parses an `application/x-www-form-urlencoded` body with bracket nesting into plain objects. */
export function parseFormBody(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'object') node = next;
      else {
        const created: FormObject = {};
        node[part] = created;
        node = created;
      }
    });
  }
  return root;
}

export function str(obj: FormObject | undefined, key: string): string | undefined {
  const value = obj?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function obj(parent: FormObject | undefined, key: string): FormObject | undefined {
  const value = parent?.[key];
  return typeof value === 'object' ? value : undefined;
}

/** Stripe metadata: a flat string map. */
export function metadataOf(parent: FormObject | undefined): Record<string, string> {
  const meta = obj(parent, 'metadata') ?? {};
  return Object.fromEntries(
    Object.entries(meta).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
