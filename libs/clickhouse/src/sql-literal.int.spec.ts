import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TestContext } from '@sightline/testing';
import { sql } from './sql-literal';

/** The escaping helper, audited against the real server: whatever goes in comes back unchanged. */
describe('sql literals round-trip through ClickHouse', () => {
  const ctx = new TestContext();
  afterAll(() => ctx.close());

  async function echo(value: string | number | bigint): Promise<string> {
    const rs = await ctx.clickhouse.query({ query: sql`SELECT ${value} AS v`.text, format: 'JSONEachRow' });
    const [row] = await rs.json<{ v: string | number }>();
    return String(row?.v);
  }

  it.each([
    ["quote '", "it's"],
    ['backslash', 'C:\\path\\to'],
    ['backslash before quote', "\\'"],
    ['NUL and control characters', 'a\u0000b\u0001c\n\r\t\u001f\u007f'],
    ['unicode', 'Zürich — 東京 🎉'],
    ['an injection attempt', "x' UNION SELECT name FROM system.tables --"],
    ['empty', ''],
  ])('%s', async (_label, value) => {
    expect(await echo(value)).toBe(value);
  });

  it('renders numbers exactly, including UInt64 beyond 2^53', async () => {
    expect(await echo(18446744073709551615n)).toBe('18446744073709551615');
    expect(Number(await echo(-12.5))).toBe(-12.5);
    expect(Number(await echo(0))).toBe(0);
  });

  it('any generated string survives (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 64 }), async (value) => {
        // Lone surrogates cannot be UTF-8; the receiver replaces them before storage.
        const wellFormed = value.toWellFormed();
        expect(await echo(wellFormed)).toBe(wellFormed);
      }),
      { numRuns: 200 },
    );
  });
});
