import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks, and ends every line with CRLF', () => {
    expect(
      toCsv(
        ['page', 'visitors'],
        [
          ['/a,b', 3],
          ['say "hi"', 2],
          ['two\nlines', 1],
        ],
      ),
    ).toBe('page,visitors\r\n"/a,b",3\r\n"say ""hi""",2\r\n"two\nlines",1\r\n');
  });

  it('defuses values a spreadsheet would run as formulas', () => {
    expect(toCsv(['source'], [['=HYPERLINK("http://evil")'], ['+1'], ['-2'], ['@SUM(A1)'], ['/ok']])).toBe(
      'source\r\n"\'=HYPERLINK(""http://evil"")"\r\n\'+1\r\n\'-2\r\n\'@SUM(A1)\r\n/ok\r\n',
    );
  });

  it('writes numbers as numbers and missing values as empty cells', () => {
    expect(toCsv(['a', 'b', 'c'], [[1.5, null, Number.NaN]])).toBe('a,b,c\r\n1.5,,\r\n');
  });
});
