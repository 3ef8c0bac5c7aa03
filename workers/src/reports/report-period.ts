import { localDateOf, startOfLocalDay } from '@sightline/query';

export type ReportKind = 'weekly' | 'monthly';

export interface ReportPeriod {
  kind: ReportKind;
  /** Site-local calendar days, inclusive. */
  firstDate: string;
  lastDate: string;
  /** The instant the period ended (start of the next local day); a report is due from then on. */
  endsAt: Date;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The last complete period before `now` in the site's time zone: for `weekly` the previous
 * Monday–Sunday, for `monthly` the previous calendar month. Throws on an unknown time zone.
 */
export function lastCompletePeriod(kind: ReportKind, now: Date, timeZone: string): ReportPeriod {
  const today = localDateOf(now, timeZone);
  let firstDate: string;
  let lastDate: string;
  if (kind === 'weekly') {
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
    firstDate = addDays(today, -weekday - 7);
    lastDate = addDays(firstDate, 6);
  } else {
    const monthStart = `${today.slice(0, 7)}-01`;
    lastDate = addDays(monthStart, -1);
    firstDate = `${lastDate.slice(0, 7)}-01`;
  }
  return { kind, firstDate, lastDate, endsAt: startOfLocalDay(addDays(lastDate, 1), timeZone) };
}
