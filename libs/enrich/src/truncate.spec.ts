import { describe, it, expect } from 'vitest';
import { truncate } from './truncate';

describe('truncate', () => {
  it('returns short strings unchanged', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 3)).toBe('');
  });

  it('cuts long strings to the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abcd');
  });

  it('drops a surrogate pair that would be cut in half', () => {
    expect(truncate('ab😀', 3)).toBe('ab');
    expect(truncate('ab😀c', 4)).toBe('ab😀');
  });
});
