import { describe, expect, it } from 'vitest';
import { escapeString, joinSql, literal, sql } from './sql-literal';

describe('escapeString', () => {
  it('quotes and escapes quote and backslash', () => {
    expect(escapeString("it's")).toBe("'it\\'s'");
    expect(escapeString('a\\b')).toBe("'a\\\\b'");
    expect(escapeString("\\'")).toBe("'\\\\\\''");
  });

  it('turns NUL, newlines and other control characters into \\xHH', () => {
    expect(escapeString('a\u0000b')).toBe("'a\\x00b'");
    expect(escapeString('\n\r\t')).toBe("'\\x0a\\x0d\\x09'");
    expect(escapeString('\u007f')).toBe("'\\x7f'");
  });

  it('passes unicode through untouched', () => {
    expect(escapeString('Zürich 東京 🎉')).toBe("'Zürich 東京 🎉'");
  });

  it('cannot be broken out of by a classic injection', () => {
    const evil = "x' OR 1=1; DROP TABLE events; --";
    const text = escapeString(evil);
    // The only unescaped quotes are the two delimiters.
    expect(text.replace(/\\\\|\\'/g, '').split("'")).toHaveLength(3);
  });
});

describe('literal', () => {
  it('renders numbers exactly and rejects non-finite ones', () => {
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('-1.5');
    expect(literal(-0)).toBe('0');
    expect(() => literal(Number.NaN)).toThrow(/not finite/);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(/not finite/);
  });

  it('renders bigints beyond 2^53 exactly', () => {
    expect(literal(18446744073709551615n)).toBe('18446744073709551615');
  });

  it('renders booleans, null, dates and arrays', () => {
    expect(literal(true)).toBe('1');
    expect(literal(null)).toBe('NULL');
    expect(literal(new Date('2026-01-02T03:04:05.678Z'))).toBe("toDateTime('2026-01-02 03:04:05', 'UTC')");
    expect(literal(['a', "b'"])).toBe("['a', 'b\\'']");
    expect(() => literal(new Date('nope'))).toThrow(/invalid Date/);
  });
});

describe('sql tag', () => {
  it('interpolates values as literals and fragments raw', () => {
    const cond = sql`site_id = ${7}`;
    const q = sql`SELECT count() FROM events WHERE ${cond} AND name = ${"o'k"}`;
    expect(q.text).toBe("SELECT count() FROM events WHERE site_id = 7 AND name = 'o\\'k'");
  });

  it('joins fragments', () => {
    expect(joinSql([sql`a = ${1}`, sql`b = ${'x'}`], ' AND ').text).toBe("a = 1 AND b = 'x'");
  });
});
