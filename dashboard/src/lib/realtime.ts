'use client';

import { useEffect, useState } from 'react';
import type { LiveEvent, RealtimeMessage } from '@sightline/api-contract';
import { publicConfig } from './config';

/**
 * The realtime socket URL. By default the same origin as the page (Next's rewrite or the ingress proxies
 * the upgrade); `NEXT_PUBLIC_REALTIME_ORIGIN` (inlined at build) points it elsewhere, e.g. straight at the API.
 */
export function realtimeUrl(domain: string): string {
  const query = `/api/realtime?site=${encodeURIComponent(domain)}`;
  const configured = publicConfig.realtimeOrigin;
  if (configured) {
    const origin = configured.replace(/\/+$/, '').replace(/^http(s?):\/\//, 'ws$1://');
    return `${origin}${query}`;
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}${query}`;
}

export type RealtimeStatus = 'connecting' | 'open' | 'closed';

export interface RealtimeState {
  visitors: number | null;
  events: LiveEvent[];
  status: RealtimeStatus;
  /** Counts `events` messages and reconnects, so consumers can react to news (refresh the numbers). */
  received: number;
}

const MAX_EVENTS = 50;
const MAX_BACKOFF_MS = 30_000;

/** Live visitor count and event feed for a site, reconnecting with jittered exponential backoff. */
/** `enabled`: connect only once the site is known to exist and be readable (a refused handshake looks like a network error). */
export function useRealtime(domain: string, enabled = true): RealtimeState {
  const [state, setState] = useState<RealtimeState>({
    visitors: null,
    events: [],
    status: 'connecting',
    received: 0,
  });

  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let everOpen = false;

    const connect = () => {
      if (stopped) return;
      setState((s) => ({ ...s, status: 'connecting' }));
      try {
        socket = new WebSocket(realtimeUrl(domain));
      } catch {
        scheduleReconnect();
        return;
      }
      socket.onopen = () => {
        const reconnected = everOpen;
        everOpen = true;
        attempt = 0;
        // After a reconnect, events stored while the socket was down were never announced: count
        // the reconnect as news so the numbers are fetched again.
        setState((s) => ({ ...s, status: 'open', received: s.received + (reconnected ? 1 : 0) }));
      };
      socket.onmessage = (message: MessageEvent) => {
        if (typeof message.data !== 'string') return;
        let parsed: RealtimeMessage;
        try {
          parsed = JSON.parse(message.data) as RealtimeMessage;
        } catch {
          return;
        }
        if (parsed.type === 'visitors') {
          setState((s) => ({ ...s, visitors: parsed.visitors }));
        } else if (parsed.type === 'events') {
          setState((s) => ({
            ...s,
            events: [...parsed.events].reverse().concat(s.events).slice(0, MAX_EVENTS),
            received: s.received + 1,
          }));
        } else if (
          parsed.type === 'error' &&
          (parsed.error.code === 'unauthorized' || parsed.error.code === 'forbidden')
        ) {
          // Retrying cannot fix missing access.
          stopped = true;
        }
      };
      socket.onclose = () => {
        socket = null;
        setState((s) => ({ ...s, status: 'closed' }));
        scheduleReconnect();
      };
      // onerror is always followed by onclose, which reconnects.
    };

    const scheduleReconnect = () => {
      if (stopped) return;
      const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
      attempt += 1;
      timer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
    };

    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, [domain, enabled]);

  return state;
}
