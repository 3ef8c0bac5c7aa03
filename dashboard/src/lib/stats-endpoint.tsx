'use client';

import { createContext, useContext, type ReactNode } from 'react';

/** The Stats API v2 route the dashboard's widgets query (members: the API's own). */
export const MEMBER_STATS_ENDPOINT = '/api/v2/query';

const StatsEndpointContext = createContext(MEMBER_STATS_ENDPOINT);

/**
 * Points every widget below at another Stats API v2 route with the same request and answer: a
 * shared dashboard's `/api/share/<token>/query`, so the shared page reuses the site dashboard's
 * components as they are.
 */
export function StatsEndpointProvider({ endpoint, children }: { endpoint: string; children: ReactNode }) {
  return <StatsEndpointContext.Provider value={endpoint}>{children}</StatsEndpointContext.Provider>;
}

export function useStatsEndpoint(): string {
  return useContext(StatsEndpointContext);
}
