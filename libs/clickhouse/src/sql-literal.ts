/**
 * The one place where values become ClickHouse SQL text.
 *
 * ClickHouse 18.16 (our development server) has no server-side query parameters, so values are
 * rendered as literals. Rules:
 * - strings are single-quoted; backslash and quote are escaped, every control character and DEL
 *   becomes \xHH, so no byte can end the literal or the statement; other unicode passes as UTF-8;
 * - numbers must be finite (NaN/Infinity throw), bigints are rendered exactly;
 * - dates become toDateTime('YYYY-MM-DD hh:mm:ss', 'UTC');
 * - identifiers are never interpolated: table and column names are written in the template itself.
 * Compose statements with the `sql` tag; only an `SqlFragment` made by the tag is inlined raw.
 */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type SqlScalar = string | number | bigint | boolean | Date | null;
export type SqlValue = SqlScalar | readonly SqlScalar[] | SqlFragment;

export function escapeString(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const ch = value[i] as string;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + "'";
}

function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('SQL literal: invalid Date');
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function literal(value: SqlScalar | readonly SqlScalar[]): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return '[' + value.map((v: SqlScalar) => literal(v)).join(', ') + ']';
  switch (typeof value) {
    case 'string':
      return escapeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`SQL literal: number is not finite (${value})`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? '1' : '0';
    default:
      if (value instanceof Date) return `toDateTime('${formatDateTime(value)}', 'UTC')`;
      throw new TypeError(`SQL literal: unsupported value of type ${typeof value}`);
  }
}

/** Tagged template: sql`SELECT count() FROM events WHERE site_id = ${siteId}`. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += value instanceof SqlFragment ? value.text : literal(value);
    text += strings[i + 1] ?? '';
  });
  return new SqlFragment(text);
}

/** Joins fragments, e.g. a list of WHERE conditions, with a fixed separator. */
export function joinSql(parts: readonly SqlFragment[], separator: ', ' | ' AND ' | ' OR '): SqlFragment {
  return new SqlFragment(parts.map((p) => p.text).join(separator));
}
