/** Arithmetic on plain calendar dates `YYYY-MM-DD` (no timezone: these are local dates of a site). */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtcMs(date: string): number {
  const m = DATE_PATTERN.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** True for a real calendar date (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return fromUtcMs(ms) === value && Number(m[1]) >= 1970 && Number(m[1]) <= 2105;
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * 86_400_000);
}

/** Whole days from `from` to `to` (to − from). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / 86_400_000);
}

/** The Monday on or before the date (weeks start on Monday, ISO 8601). */
export function mondayOnOrBefore(date: string): string {
  const ms = toUtcMs(date);
  const weekday = new Date(ms).getUTCDay(); // 0 = Sunday
  return fromUtcMs(ms - ((weekday + 6) % 7) * 86_400_000);
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function endOfMonth(date: string): string {
  const d = new Date(toUtcMs(startOfMonth(date)));
  return fromUtcMs(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
}

/** Shifts by whole months, clamping the day (Mar 31 − 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const d = new Date(toUtcMs(date));
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return fromUtcMs(target.getTime());
}
