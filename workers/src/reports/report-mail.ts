import type { MailMessage } from '@sightline/mail';
import { renderBarChart } from './report-chart';
import type { BreakdownRow, ReportMetric, SiteReport } from './site-report.service';

export const CHART_CID = 'visitors-chart@sightline';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

interface Change {
  text: string;
  tone: 'good' | 'bad' | 'neutral';
}

function formatChange(metric: ReportMetric, unit: '%' | 'pp', lowerIsBetter = false): Change {
  if (metric.change === null) return { text: '', tone: 'neutral' };
  if (metric.change === 0) return { text: 'no change', tone: 'neutral' };
  const up = metric.change > 0;
  return {
    text: `${up ? '▲ +' : '▼ '}${metric.change}${unit === '%' ? '%' : ' pp'}`,
    tone: up !== lowerIsBetter ? 'good' : 'bad',
  };
}

const TONE_COLOR = { good: '#047857', bad: '#b91c1c', neutral: '#6b7280' } as const;

function formatDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export interface ReportMailInput {
  to: string;
  siteName: string;
  domain: string;
  report: SiteReport;
  dashboardUrl: string;
  unsubscribeUrl: string;
}

/** The report as a mail: HTML with an inline PNG chart (cid), a plain-text part, List-Unsubscribe. */
export function renderReportMail(input: ReportMailInput): MailMessage {
  const { report } = input;
  const { period } = report;
  const label = period.kind === 'weekly' ? 'Weekly' : 'Monthly';
  const range = `${formatDate(period.firstDate)} – ${formatDate(period.lastDate)}`;
  // ASCII subject and text part: they show unchanged in every client.
  const asciiRange = `${formatDate(period.firstDate)} to ${formatDate(period.lastDate)}`;
  const subject = `${label} report for ${input.domain}: ${asciiRange}`;
  const totals: [string, string, Change][] = [
    ['Unique visitors', report.visitors.value.toLocaleString('en'), formatChange(report.visitors, '%')],
    ['Pageviews', report.pageviews.value.toLocaleString('en'), formatChange(report.pageviews, '%')],
    ['Bounce rate', `${report.bounceRate.value}%`, formatChange(report.bounceRate, 'pp', true)],
    ['Visit duration', formatDuration(report.visitDuration.value), formatChange(report.visitDuration, '%')],
  ];
  const lists: [string, BreakdownRow[], (name: string) => string][] = [
    ['Top pages', report.topPages, (n) => n],
    ['Top sources', report.sources, (n) => n],
    ['Top countries', report.countries, countryName],
  ];

  // ASCII too: it goes into the text part unchanged.
  const sampledNote = report.sampledOneIn
    ? `Figures are estimated from 1 in ${report.sampledOneIn} of this period's visitors (a sample: counts may be off by a few percent).`
    : null;
  const sampledHtml = sampledNote
    ? `<p style="font-size:12px;color:#6b7280;margin:16px 0 0">${escapeHtml(sampledNote)}</p>`
    : '';
  const text = [
    `${label} report for ${input.domain} (${asciiRange}, ${input.siteName})`,
    '',
    ...(report.hasTraffic
      ? [
          ...totals.map(
            ([name, value, change]) =>
              `${name}: ${value}${change.text ? ` (${change.text.replace(/^[▲▼] /, '')} vs previous period)` : ''}`,
          ),
          '',
          ...lists.flatMap(([title, rows, name]) => [
            `${title}:`,
            ...(rows.length ? rows.map((r) => `  ${name(r.name)}: ${r.visitors}`) : ['  (none)']),
            '',
          ]),
        ]
      : ['No visitors were recorded in this period. Is the tracking script still on your pages?', '']),
    ...(report.hasTraffic && sampledNote ? [sampledNote, ''] : []),
    `Open the dashboard: ${input.dashboardUrl}`,
    `Unsubscribe from these ${period.kind} reports: ${input.unsubscribeUrl}`,
  ].join('\n');

  const cell = 'padding:12px 8px;vertical-align:top;';
  const totalsHtml = totals
    .map(
      ([name, value, change]) => `<td style="${cell}width:25%">
        <div style="font-size:12px;color:#6b7280;text-transform:uppercase;letter-spacing:.04em">${escapeHtml(name)}</div>
        <div style="font-size:24px;font-weight:700;color:#111827;margin-top:4px">${escapeHtml(value)}</div>
        <div style="font-size:12px;color:${TONE_COLOR[change.tone]};margin-top:2px">${change.text ? escapeHtml(change.text) : '&nbsp;'}</div>
      </td>`,
    )
    .join('');
  const listHtml = lists
    .map(
      ([
        title,
        rows,
        name,
      ]) => `<h3 style="font-size:14px;color:#111827;margin:24px 0 8px">${escapeHtml(title)}</h3>
      <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="font-size:14px;color:#374151">
        ${
          rows.length
            ? rows
                .map(
                  (r) =>
                    `<tr><td style="padding:4px 0;border-bottom:1px solid #f3f4f6">${escapeHtml(name(r.name))}</td><td align="right" style="padding:4px 0;border-bottom:1px solid #f3f4f6;font-weight:600">${r.visitors.toLocaleString('en')}</td></tr>`,
                )
                .join('')
            : '<tr><td style="padding:4px 0;color:#9ca3af">None</td></tr>'
        }
      </table>`,
    )
    .join('');
  const firstDay = report.daily[0]?.date ?? period.firstDate;
  const lastDay = report.daily[report.daily.length - 1]?.date ?? period.lastDate;
  const body = report.hasTraffic
    ? `<table role="presentation" width="100%" cellspacing="0" cellpadding="0"><tr>${totalsHtml}</tr></table>
       <h3 style="font-size:14px;color:#111827;margin:24px 0 8px">Visitors per day</h3>
       <img src="cid:${CHART_CID}" width="600" height="150" alt="Bar chart of daily visitors" style="display:block;width:100%;max-width:600px;height:auto;border:0">
       <table role="presentation" width="100%" style="font-size:11px;color:#9ca3af"><tr><td>${escapeHtml(formatDate(firstDay))}</td><td align="right">${escapeHtml(formatDate(lastDay))}</td></tr></table>
       ${listHtml}${sampledHtml}`
    : `<p style="font-size:16px;color:#374151;background:#f9fafb;padding:16px;border-radius:8px">No visitors were recorded in this period. If that is unexpected, check that the tracking script is still on your pages.</p>`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0"><tr><td align="center">
<table role="presentation" width="640" cellspacing="0" cellpadding="0" style="max-width:640px;background:#ffffff;border-radius:12px;padding:24px">
<tr><td>
  <div style="font-size:13px;color:#4f46e5;font-weight:700">Sightline · ${escapeHtml(label)} report</div>
  <h1 style="font-size:22px;color:#111827;margin:4px 0 0">${escapeHtml(input.domain)}</h1>
  <div style="font-size:14px;color:#6b7280;margin:4px 0 16px">${escapeHtml(range)} · compared with the previous ${period.kind === 'weekly' ? 'week' : 'period'}</div>
  ${body}
  <p style="margin:28px 0 0"><a href="${escapeHtml(input.dashboardUrl)}" style="background:#4f46e5;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px;font-size:14px">Open the dashboard</a></p>
  <p style="font-size:12px;color:#9ca3af;margin:24px 0 0">You receive this because you opted in to ${period.kind} reports for ${escapeHtml(input.domain)}. <a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#6b7280">Unsubscribe</a></p>
</td></tr></table>
</td></tr></table>
</body></html>`;

  return {
    to: input.to,
    subject,
    text,
    html,
    attachments: report.hasTraffic
      ? [
          {
            filename: 'visitors.png',
            content: renderBarChart(report.daily.map((d) => d.visitors)),
            contentType: 'image/png',
            cid: CHART_CID,
          },
        ]
      : [],
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
