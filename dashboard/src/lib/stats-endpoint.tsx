'use client';

import { createContext, useContext, type ReactNode } from 'react';

/**
 * The read routes the dashboard's panels call. Members use the API's own (Stats API v2, property
 * keys, vitals, the site's funnels); a shared link has one copy of each under
 * `/api/share/<token>`, with the same requests and answers, so the shared page reuses the site
 * dashboard's components as they are.
 */
export interface StatsRoutes {
  /** Names the route set in query keys, so a member's and a link's answers never mix in the cache. */
  scope: string;
  /** Stats API v2 query. */
  query: string;
  /** Goals › Properties: the custom property keys of a period. */
  propertyKeys: string;
  /** The Performance panel's web vitals. */
  vitals: string;
  /** The site's funnels (list). */
  funnels: (domain: string) => string;
  /** One funnel over a period. */
  funnelQuery: (domain: string, id: string) => string;
  /** Members may edit (funnels, settings links); a shared view is read-only. */
  editable: boolean;
  /** A shared view's site currency (from the link); members read their site's (`useSiteCurrency`). */
  currency?: string;
}

const sitePath = (domain: string) => `/api/sites/${encodeURIComponent(domain)}`;

export const MEMBER_STATS_ROUTES: StatsRoutes = {
  scope: 'member',
  query: '/api/v2/query',
  propertyKeys: '/api/v2/property-keys',
  vitals: '/api/v2/vitals',
  funnels: (domain) => `${sitePath(domain)}/funnels`,
  funnelQuery: (domain, id) => `${sitePath(domain)}/funnels/${encodeURIComponent(id)}/query`,
  editable: true,
};

/** The routes of one shared link: `/api/share/<token>/…`, whatever site the panels name. */
export function sharedStatsRoutes(token: string, currency: string): StatsRoutes {
  const base = `/api/share/${encodeURIComponent(token)}`;
  return {
    scope: base,
    query: `${base}/query`,
    propertyKeys: `${base}/property-keys`,
    vitals: `${base}/vitals`,
    funnels: () => `${base}/funnels`,
    funnelQuery: (_domain, id) => `${base}/funnels/${encodeURIComponent(id)}/query`,
    editable: false,
    currency,
  };
}

const StatsRoutesContext = createContext<StatsRoutes>(MEMBER_STATS_ROUTES);

/** Points every panel below at another set of routes (a shared link's). */
export function StatsRoutesProvider({ routes, children }: { routes: StatsRoutes; children: ReactNode }) {
  return <StatsRoutesContext.Provider value={routes}>{children}</StatsRoutesContext.Provider>;
}

export function useStatsRoutes(): StatsRoutes {
  return useContext(StatsRoutesContext);
}

/** The Stats API v2 route of the current set (exports and widgets). */
export function useStatsEndpoint(): string {
  return useStatsRoutes().query;
}
