import { ImportError } from './import-error';
import type { ColumnSpec } from './import-formats';

/** Longest string value kept (paths, referrers, UTM tags); longer rows are refused, not cut. */
export const MAX_VALUE_LENGTH = 2000;
/** Imported days must lie after this... */
const MIN_DATE = '2000-01-01';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COUNT = /^\d{1,15}$/;

export function isValidIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** ...and before tomorrow (UTC): an export cannot hold days that have not happened. */
export function checkImportDate(value: string, where: string, now = new Date()): string {
  if (!isValidIsoDate(value)) throw new ImportError(`${where}: "${clip(value)}" is not a date (YYYY-MM-DD)`);
  const tomorrow = new Date(now.getTime() + 24 * 3600_000).toISOString().slice(0, 10);
  if (value < MIN_DATE || value > tomorrow)
    throw new ImportError(`${where}: ${value} is outside ${MIN_DATE} … ${tomorrow}`);
  return value;
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/**
 * One CSV value checked against its column: dates as above, counts as non-negative integers,
 * strings at most MAX_VALUE_LENGTH characters and without control characters other than tab.
 */
export function columnValue(column: ColumnSpec, raw: string | undefined, where: string): string | number {
  if (raw === undefined) {
    if (!column.optional) throw new ImportError(`${where}: ${column.name} is missing`);
    return column.type === 'count' ? 0 : '';
  }
  switch (column.type) {
    case 'date':
      return checkImportDate(raw.trim(), `${where} (${column.name})`);
    case 'count': {
      const v = raw.trim();
      if (v === '' && column.optional) return 0;
      if (!COUNT.test(v))
        throw new ImportError(`${where}: ${column.name} "${clip(raw)}" is not a whole number`);
      return Number(v);
    }
    case 'string':
      return checkString(raw, `${where} (${column.name})`);
  }
}

export function checkString(raw: string, where: string): string {
  if (raw.length > MAX_VALUE_LENGTH)
    throw new ImportError(`${where}: longer than ${MAX_VALUE_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(raw))
    throw new ImportError(`${where}: contains control characters`);
  return raw;
}
