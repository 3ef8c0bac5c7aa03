import { addDays, addMonths, mondayOnOrBefore, startOfMonth } from './calendar-date';
import { rangeDays, type ResolvedDateRange } from './date-range';
import { localHourLabel } from './timezone';

export type TimeGranularity = 'time:hour' | 'time:day' | 'time:week' | 'time:month';

/** `time` picks a granularity by length, as Plausible does: one day → hours, up to 40 days → days. */
export function autoGranularity(range: ResolvedDateRange): TimeGranularity {
  const days = rangeDays(range);
  if (days <= 1) return 'time:hour';
  if (days <= 40) return 'time:day';
  return 'time:month';
}

/** Hour buckets for longer ranges would be tens of thousands of rows; Plausible caps them too. */
export const MAX_HOUR_BUCKET_DAYS = 93;

/**
 * Every bucket label in the range, in order (ClickHouse 18.16 has no WITH FILL, so the client
 * fills gaps from this list). Hours are walked in 30-minute UTC steps so that half-hour zones
 * and DST shifts yield each local hour exactly once; a repeated autumn hour is one label, as in
 * the SQL grouping.
 */
export function timeLabels(
  range: ResolvedDateRange,
  granularity: TimeGranularity,
  timezone: string,
): string[] {
  const labels: string[] = [];
  if (granularity === 'time:hour') {
    const seen = new Set<string>();
    for (let t = range.from.getTime(); t < range.to.getTime(); t += 1_800_000) {
      const label = localHourLabel(new Date(t), timezone);
      if (!seen.has(label)) {
        seen.add(label);
        labels.push(label);
      }
    }
    return labels;
  }
  if (granularity === 'time:day') {
    for (let d = range.firstDate; d <= range.lastDate; d = addDays(d, 1)) labels.push(d);
    return labels;
  }
  if (granularity === 'time:week') {
    // Weeks start on Monday; the first bucket is labelled with the range's first day when the range
    // starts mid-week (as Plausible does), so no label lies outside the range.
    labels.push(range.firstDate);
    for (let d = addDays(mondayOnOrBefore(range.firstDate), 7); d <= range.lastDate; d = addDays(d, 7))
      labels.push(d);
    return labels;
  }
  for (let m = startOfMonth(range.firstDate); m <= range.lastDate; m = addMonths(m, 1)) labels.push(m);
  return labels;
}
