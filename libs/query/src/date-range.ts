import { addDays, addMonths, daysBetween, endOfMonth, isCalendarDate, startOfMonth } from './calendar-date';
import type { ComparisonMode, NormalizedQueryRequest } from './query-request.schema';
import { QueryValidationError } from './query-validation.error';
import { localDateOf, startOfLocalDay, wallClockToInstant } from './timezone';

/**
 * A date range resolved to UTC instants. `from` is inclusive, `to` exclusive; `firstDate` and
 * `lastDate` are the site-local calendar days it touches (inclusive), used for bucket labels.
 */
export interface ResolvedDateRange {
  from: Date;
  to: Date;
  firstDate: string;
  lastDate: string;
  /** `dates`: whole local days; `instants`: an explicit date-time range. */
  kind: 'dates' | 'instants';
}

export interface DateRangeContext {
  timezone: string;
  now: Date;
  /** The site's first stored event, for `all`. */
  firstEventAt?: Date | null;
  siteCreatedAt?: Date;
}

/** Longest range we accept; a bound on scans and on label lists. */
const MAX_DAYS = 10 * 366 + 1;

export function rangeFromDates(firstDate: string, lastDate: string, timezone: string): ResolvedDateRange {
  return {
    from: startOfLocalDay(firstDate, timezone),
    to: startOfLocalDay(addDays(lastDate, 1), timezone),
    firstDate,
    lastDate,
    kind: 'dates',
  };
}

function rangeFromInstants(from: Date, to: Date, timezone: string): ResolvedDateRange {
  return {
    from,
    to,
    firstDate: localDateOf(from, timezone),
    lastDate: localDateOf(new Date(to.getTime() - 1000), timezone),
    kind: 'instants',
  };
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO8601 date-time; without an offset it is read as the site's wall-clock time. */
function parseDateTime(value: string, timezone: string): Date | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number];
  if (!isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`) || hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[7];
  if (!zone) return wallClockToInstant({ year, month, day, hour, minute, second }, timezone);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (zone === 'Z') return new Date(ms);
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  if (offsetMinutes > 14 * 60) return null;
  return new Date(ms - sign * offsetMinutes * 60_000);
}

/**
 * Shortcuts: `day` is today; `7d`, `28d`, `30d` are that many days ENDING TODAY (as Umami and
 * older Plausible do: a live dashboard must show the visit that just happened — current Plausible
 * ends them yesterday, which hides today's traffic from the default view); `month`, `year` are the
 * whole current calendar month/year; `6mo`, `12mo` are whole months ending with the current one;
 * `all` runs from the first event (else the site's creation) through today.
 */
export function resolveDateRange(
  input: NormalizedQueryRequest['date_range'],
  ctx: DateRangeContext,
): ResolvedDateRange {
  const tz = ctx.timezone;
  const today = localDateOf(ctx.now, tz);
  const dates = (first: string, last: string): ResolvedDateRange => rangeFromDates(first, last, tz);
  if (typeof input === 'string') {
    switch (input) {
      case 'day':
        return dates(today, today);
      case '7d':
        return dates(addDays(today, -6), today);
      case '28d':
        return dates(addDays(today, -27), today);
      case '30d':
        return dates(addDays(today, -29), today);
      case 'month':
        return dates(startOfMonth(today), endOfMonth(today));
      case '6mo':
        return dates(startOfMonth(addMonths(today, -5)), endOfMonth(today));
      case '12mo':
        return dates(startOfMonth(addMonths(today, -11)), endOfMonth(today));
      case 'year':
        return dates(`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`);
      case 'all': {
        const start = ctx.firstEventAt ?? ctx.siteCreatedAt ?? ctx.now;
        const first = localDateOf(start, tz);
        return dates(first < today ? first : today, today);
      }
    }
  }
  const [fromText, toText] = input;
  const parsed = [fromText, toText].map((text, i) => {
    if (isCalendarDate(text)) return { date: text, instant: null };
    const instant = parseDateTime(text, tz);
    if (!instant)
      throw new QueryValidationError(`date_range[${i}]`, 'expected YYYY-MM-DD or an ISO8601 date-time');
    return { date: null, instant };
  });
  const [start, end] = parsed as [(typeof parsed)[number], (typeof parsed)[number]];
  if (start.date !== null && end.date !== null) {
    if (start.date > end.date)
      throw new QueryValidationError('date_range', 'the start date is after the end date');
    if (daysBetween(start.date, end.date) > MAX_DAYS)
      throw new QueryValidationError('date_range', 'the range is longer than 10 years');
    return dates(start.date, end.date);
  }
  const from = start.instant;
  const to = end.instant;
  if (!from || !to)
    throw new QueryValidationError('date_range', 'use two dates or two date-times, not one of each');
  // `to` is inclusive to the second, as in Plausible's [..., "15:59:59+02:00"].
  const toExclusive = new Date(Math.floor(to.getTime() / 1000) * 1000 + 1000);
  const fromSecond = new Date(Math.floor(from.getTime() / 1000) * 1000);
  if (fromSecond >= toExclusive) throw new QueryValidationError('date_range', 'the start is after the end');
  if (toExclusive.getTime() - fromSecond.getTime() > MAX_DAYS * 86_400_000)
    throw new QueryValidationError('date_range', 'the range is longer than 10 years');
  return rangeFromInstants(fromSecond, toExclusive, tz);
}

function isWholeMonths(range: ResolvedDateRange): boolean {
  return range.firstDate === startOfMonth(range.firstDate) && range.lastDate === endOfMonth(range.lastDate);
}

/**
 * The period a comparison is made against. `previous_period`: the same length immediately
 * before (whole months map to the previous whole months, so March compares with February);
 * `year_over_year`: the same dates one year earlier.
 */
export function comparisonRange(
  range: ResolvedDateRange,
  mode: ComparisonMode,
  timezone: string,
): ResolvedDateRange {
  if (range.kind === 'dates') {
    if (mode === 'year_over_year') {
      const last = isWholeMonths(range)
        ? endOfMonth(addMonths(range.lastDate, -12))
        : addMonths(range.lastDate, -12);
      return rangeFromDates(addMonths(range.firstDate, -12), last, timezone);
    }
    if (isWholeMonths(range)) {
      const months =
        (Number(range.lastDate.slice(0, 4)) - Number(range.firstDate.slice(0, 4))) * 12 +
        Number(range.lastDate.slice(5, 7)) -
        Number(range.firstDate.slice(5, 7)) +
        1;
      return rangeFromDates(addMonths(range.firstDate, -months), addDays(range.firstDate, -1), timezone);
    }
    const days = daysBetween(range.firstDate, range.lastDate) + 1;
    return rangeFromDates(addDays(range.firstDate, -days), addDays(range.firstDate, -1), timezone);
  }
  if (mode === 'year_over_year') {
    const shift = (d: Date): Date => {
      const c = new Date(d);
      c.setUTCFullYear(c.getUTCFullYear() - 1);
      return c;
    };
    return rangeFromInstants(shift(range.from), shift(range.to), timezone);
  }
  const length = range.to.getTime() - range.from.getTime();
  return rangeFromInstants(new Date(range.from.getTime() - length), range.from, timezone);
}

/** Whole local days the range spans. */
export function rangeDays(range: ResolvedDateRange): number {
  return daysBetween(range.firstDate, range.lastDate) + 1;
}
