import type { Metric } from './query-types';
import type { Interval } from './dashboard-params';

/** 950 → "950", 1234 → "1.2k", 12_345 → "12k", 3_400_000 → "3.4M" (Plausible-style). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '0';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const scaled = abs / size;
      const text = scaled >= 100 ? Math.round(scaled).toString() : trimZero(scaled.toFixed(1));
      // 999_950 would otherwise print as "1000k".
      if (text === '1000' && suffix !== 'B') continue;
      return `${sign}${text}${suffix}`;
    }
  }
  return `${sign}${Math.round(abs)}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** Seconds → "0s", "45s", "1m 05s", "2h 03m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '0s';
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(secs).padStart(2, '0')}s`;
  return `${secs}s`;
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '0%';
  return `${Math.round(value)}%`;
}

/** 1234.5 in EUR → "€1,234.50" (falls back to "1,234.50 XYZ" for a code Intl does not know). */
export function formatMoney(value: number | null | undefined, currency: string): string {
  const amount = value ?? 0;
  try {
    return amount.toLocaleString('en-US', { style: 'currency', currency });
  } catch {
    return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
  }
}

export function formatMetric(metric: Metric, value: number | null | undefined, currency = 'USD'): string {
  switch (metric) {
    case 'total_revenue':
    case 'average_revenue':
      return formatMoney(value, currency);
    case 'bounce_rate':
      return formatPercent(value);
    case 'conversion_rate':
    case 'group_conversion_rate':
      return `${(value ?? 0).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
    case 'visit_duration':
      return formatDuration(value);
    // No engagement pings for the row: no value rather than a misleading 0.
    case 'scroll_depth':
      return value === null || value === undefined ? '—' : formatPercent(value);
    case 'time_on_page':
      return value === null || value === undefined ? '—' : formatDuration(value);
    case 'views_per_visit':
      return value === null || value === undefined ? '0' : trimZero(value.toFixed(2));
    default:
      return formatNumber(value);
  }
}

let regionNames: Intl.DisplayNames | null | undefined;

/** "DE" → "Germany", falling back to the code. */
export function countryName(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  const upper = code.toUpperCase();
  if (!regionNames || !/^[A-Z]{2}$/.test(upper)) return code || 'Unknown';
  try {
    return regionNames.of(upper) ?? upper;
  } catch {
    return upper;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
}

/** Parses the API's bucket labels ("2024-05-01", "2024-05-01 13:00:00", "2024-05-01T13:00:00Z") as wall-clock parts. */
export function parseBucket(label: string): DateParts | null {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[ T](\d{2}))?/.exec(label);
  if (!match) return null;
  return {
    year: Number(match[1]),
    month: Number(match[2]),
    day: match[3] ? Number(match[3]) : 1,
    hour: match[4] ? Number(match[4]) : 0,
  };
}

function hourLabel(hour: number): string {
  const suffix = hour < 12 ? 'am' : 'pm';
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `${h}${suffix}`;
}

/** Short axis label for a time bucket. */
export function formatBucket(label: string, interval: Interval): string {
  const parts = parseBucket(label);
  if (!parts) return label;
  const month = MONTHS[parts.month - 1] ?? '';
  if (interval === 'hour') return hourLabel(parts.hour);
  if (interval === 'month') return `${month} ${parts.year}`;
  return `${month} ${parts.day}`;
}

/** Longer label for tooltips. */
export function formatBucketLong(label: string, interval: Interval): string {
  const parts = parseBucket(label);
  if (!parts) return label;
  const month = MONTHS[parts.month - 1] ?? '';
  if (interval === 'hour') return `${month} ${parts.day}, ${hourLabel(parts.hour)}`;
  if (interval === 'month') return `${month} ${parts.year}`;
  if (interval === 'week') return `Week of ${month} ${parts.day}, ${parts.year}`;
  return `${month} ${parts.day}, ${parts.year}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** "3 minutes ago" style relative time. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(-seconds, 'second');
  if (abs < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  return rtf.format(-Math.round(seconds / 86400), 'day');
}
