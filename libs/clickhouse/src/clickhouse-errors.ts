import { ClickHouseError } from '@clickhouse/client';

// Server error codes that mean "this data cannot be stored", as opposed to "the server cannot
// store anything right now". Only these make the flusher split a batch to find the bad row.
const DATA_ERROR_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '32', // ATTEMPT_TO_READ_AFTER_EOF
  '33', // CANNOT_READ_ALL_DATA
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '62', // SYNTAX_ERROR (a row that breaks the input format)
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '130', // CANNOT_READ_ARRAY_FROM_TEXT
  '131', // TOO_LARGE_STRING_SIZE
  '407', // DECIMAL_OVERFLOW
]);

/** The server's error code; 18.16's error text ("Code: 27, e.displayText() = …") is not parsed by the client. */
export function clickHouseErrorCode(err: unknown): string | null {
  if (err instanceof ClickHouseError) return err.code;
  if (err instanceof Error) return /^Code: (\d+)[.,]/.exec(err.message)?.[1] ?? null;
  return null;
}

export function isRowDataError(err: unknown): boolean {
  const code = clickHouseErrorCode(err);
  return code !== null && DATA_ERROR_CODES.has(code);
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * True when the server could not be reached or did not answer (refused, reset, timed out), as opposed
 * to an answer with an error code. Callers turn it into "try again later" rather than a bug report.
 */
export function isClickHouseUnreachable(err: unknown): boolean {
  if (!(err instanceof Error) || clickHouseErrorCode(err) !== null) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined && NETWORK_ERROR_CODES.has(code)) return true;
  return /socket hang up|timeout error|connect ECONNREFUSED/i.test(err.message);
}
