import { ClickHouseError } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { clickHouseErrorCode, isClickHouseUnreachable, isRowDataError } from './clickhouse-errors';

describe('ClickHouse error classification', () => {
  it('reads the code of current servers and of 18.16', () => {
    expect(
      clickHouseErrorCode(
        new ClickHouseError({ message: 'x', code: '27', type: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED' }),
      ),
    ).toBe('27');
    expect(
      clickHouseErrorCode(new Error('Code: 27, e.displayText() = DB::Exception: Cannot parse input')),
    ).toBe('27');
    expect(clickHouseErrorCode(new Error('connect ECONNREFUSED 127.0.0.1:8123'))).toBeNull();
  });

  it('treats only data errors as row errors', () => {
    expect(isRowDataError(new Error('Code: 27, e.displayText() = DB::Exception: Cannot parse input'))).toBe(
      true,
    );
    expect(isRowDataError(new Error('Code: 252, e.displayText() = DB::Exception: Too many parts'))).toBe(
      false,
    );
    expect(isRowDataError(new Error('socket hang up'))).toBe(false);
  });

  it('tells an unreachable server from an answer with an error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    expect(isClickHouseUnreachable(refused)).toBe(true);
    expect(isClickHouseUnreachable(new Error('socket hang up'))).toBe(true);
    expect(isClickHouseUnreachable(new Error('Timeout error.'))).toBe(true);
    expect(
      isClickHouseUnreachable(new Error('Code: 62, e.displayText() = DB::Exception: Syntax error')),
    ).toBe(false);
    expect(
      isClickHouseUnreachable(
        new ClickHouseError({ message: 'x', code: '241', type: 'MEMORY_LIMIT_EXCEEDED' }),
      ),
    ).toBe(false);
    expect(isClickHouseUnreachable('ECONNREFUSED')).toBe(false);
  });
});
