/**
 * Instants ↔ wall-clock time in an IANA timezone, with Intl only (no dependency). Handles DST
 * gaps and overlaps and non-hour offsets (Asia/Kolkata +05:30, Asia/Kathmandu +05:45).
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * Formatters by canonical zone name (`Intl` resolves `europe/berlin` to `Europe/Berlin`), so other
 * spellings do not add entries, and at most MAX_CACHED_ZONES of them (the IANA database has ~600).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_ZONES = 1000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  const created = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const canonical = created.resolvedOptions().timeZone;
  const existing = formatters.get(canonical);
  if (existing) return existing;
  if (formatters.size >= MAX_CACHED_ZONES) formatters.delete(formatters.keys().next().value ?? '');
  formatters.set(canonical, created);
  return created;
}

/** The canonical IANA spelling of a zone (`europe/berlin` → `Europe/Berlin`), or null if unknown. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return null;
  try {
    return formatterFor(timeZone).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Formatters held (for the bound's test). */
export function timeZoneCacheSize(): number {
  return formatters.size;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallClockAsUtcMs(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Offset of the timezone from UTC at that instant, in minutes (east positive). */
export function offsetMinutesAt(instant: Date, timeZone: string): number {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallClockAsUtcMs(wallClockAt(new Date(ms), timeZone)) - ms) / 60_000);
}

/**
 * The instant of a wall-clock time. A time that occurs twice (autumn) is the earlier one; a time
 * in a DST gap moves forward by the gap (02:30 → 03:30, like Temporal's "compatible"), so a
 * skipped midnight becomes the moment the clocks jump, which is where that day begins.
 */
export function wallClockToInstant(w: WallClock, timeZone: string): Date {
  const naive = wallClockAsUtcMs(w);
  const offsets = new Set<number>();
  for (const probe of [naive - 86_400_000, naive, naive + 86_400_000])
    offsets.add(offsetMinutesAt(new Date(probe), timeZone));
  const candidates = [...offsets].map((o) => naive - o * 60_000).sort((a, b) => a - b);
  for (const c of candidates) {
    if (wallClockAsUtcMs(wallClockAt(new Date(c), timeZone)) === naive) return new Date(c);
  }
  // In a gap: the earliest candidate past the target is the target shifted by the gap.
  for (const c of candidates) {
    if (wallClockAsUtcMs(wallClockAt(new Date(c), timeZone)) > naive) return new Date(c);
  }
  return new Date(candidates[0] ?? naive);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of the instant in the timezone. */
export function localDateOf(instant: Date, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The UTC instant at which the local calendar day `YYYY-MM-DD` begins. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return wallClockToInstant(
    { year: y ?? 0, month: m ?? 0, day: d ?? 0, hour: 0, minute: 0, second: 0 },
    timeZone,
  );
}

/** `2026-03-08T00:00:00-05:00`: the instant as local time with the offset in force then. */
export function formatInstantWithOffset(instant: Date, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  const offset = offsetMinutesAt(instant, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** `YYYY-MM-DD HH:00:00` of the local hour containing the instant (the time:hour label). */
export function localHourLabel(instant: Date, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:00:00`;
}
