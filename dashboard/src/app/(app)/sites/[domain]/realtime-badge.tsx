'use client';

import type { LiveEvent } from '@sightline/api-contract';
import { useRealtimeVisitorsQuery } from '@/lib/queries/sites';
import type { RealtimeState, RealtimeStatus } from '@/lib/realtime';
import { CountryFlag } from '@/components/country-flag';
import { countryName, formatRelative } from '@/lib/format';
import { EmptyState } from '@/components/states';

/** "N current visitors": live from the WebSocket, from HTTP polling while the socket is down. */
export function RealtimeBadge({
  domain,
  realtime,
  expanded,
  onToggle,
}: {
  domain: string;
  realtime: RealtimeState;
  expanded: boolean;
  onToggle: () => void;
}) {
  const socketLive = realtime.status === 'open' && realtime.visitors !== null;
  const fallback = useRealtimeVisitorsQuery(domain, !socketLive);
  const visitors = socketLive ? realtime.visitors : (fallback.data?.visitors ?? realtime.visitors);

  return (
    <button
      type="button"
      className="badge badge-good"
      style={{ cursor: 'pointer', font: 'inherit', fontSize: '0.8rem', fontWeight: 600 }}
      onClick={onToggle}
      aria-expanded={expanded}
      title={socketLive ? 'Live' : 'Reconnecting to live updates…'}
    >
      <span className={`pulse-dot ${socketLive ? '' : 'idle'}`} aria-hidden="true" />
      <span data-testid="current-visitors" data-visitors={visitors ?? ''}>
        {visitors === null || visitors === undefined ? '…' : visitors}
      </span>{' '}
      current visitor{visitors === 1 ? '' : 's'}
    </button>
  );
}

export function LiveFeed({ events, status }: { events: LiveEvent[]; status: RealtimeStatus }) {
  return (
    <section className="card" style={{ marginBottom: 16 }} aria-label="Live events">
      <div className="card-title">
        <h2>Live events</h2>
        <span className="muted small">{status === 'open' ? 'connected' : 'reconnecting…'}</span>
      </div>
      {events.length === 0 ? (
        <EmptyState title="Waiting for events">
          New pageviews and events appear here as they happen.
        </EmptyState>
      ) : (
        <ul className="live-feed" aria-live="polite">
          {events.map((event, i) => (
            <li key={`${event.timestamp}-${i}`}>
              <span title={countryName(event.countryCode)}>
                <CountryFlag code={event.countryCode} />
              </span>
              <strong>{event.name === 'pageview' ? event.pathname : event.name}</strong>
              {event.name !== 'pageview' ? <span className="muted">on {event.pathname}</span> : null}
              <span className="muted small">
                {[event.referrerSource || 'Direct', event.browser, event.device].filter(Boolean).join(' · ')}
              </span>
              <span className="spacer" />
              <span className="muted small">{formatRelative(event.timestamp)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
