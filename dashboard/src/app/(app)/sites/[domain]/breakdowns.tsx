'use client';

import type { DashboardState } from '@/lib/dashboard-params';
import { BreakdownPanel, type BreakdownTab } from './breakdown-panel';

const PANELS: { title: string; tabs: BreakdownTab[] }[] = [
  {
    title: 'Sources',
    tabs: [
      { key: 'sources', label: 'Sources', column: 'Source', dimension: 'visit:source' },
      { key: 'referrers', label: 'Referrers', column: 'Referrer', dimension: 'visit:referrer' },
      { key: 'utm_source', label: 'UTM source', column: 'UTM source', dimension: 'visit:utm_source' },
      { key: 'utm_medium', label: 'Medium', column: 'UTM medium', dimension: 'visit:utm_medium' },
      { key: 'utm_campaign', label: 'Campaign', column: 'UTM campaign', dimension: 'visit:utm_campaign' },
    ],
  },
  {
    title: 'Pages',
    tabs: [
      { key: 'top', label: 'Top pages', column: 'Page', dimension: 'event:page', engagement: true },
      { key: 'entry', label: 'Entry pages', column: 'Entry page', dimension: 'visit:entry_page' },
      { key: 'exit', label: 'Exit pages', column: 'Exit page', dimension: 'visit:exit_page' },
    ],
  },
  {
    title: 'Locations',
    tabs: [
      { key: 'map', label: 'Map', column: 'Country', dimension: 'visit:country', view: 'map' },
      { key: 'countries', label: 'Countries', column: 'Country', dimension: 'visit:country' },
    ],
  },
  {
    title: 'Devices',
    tabs: [
      { key: 'device', label: 'Devices', column: 'Device', dimension: 'visit:device' },
      { key: 'browser', label: 'Browsers', column: 'Browser', dimension: 'visit:browser' },
      { key: 'os', label: 'OS', column: 'Operating system', dimension: 'visit:os' },
    ],
  },
  {
    title: 'Goals',
    tabs: [
      {
        key: 'events',
        label: 'Custom events',
        column: 'Event',
        dimension: 'event:name',
        extraFilters: [['is_not', 'event:name', ['pageview']]],
        columns: [
          { metric: 'visitors', label: 'Uniques' },
          { metric: 'events', label: 'Total' },
          { metric: 'conversion_rate', label: 'CR' },
          { metric: 'total_revenue', label: 'Revenue', optional: true },
          { metric: 'average_revenue', label: 'Average', optional: true },
        ],
      },
      {
        key: 'properties',
        label: 'Properties',
        column: 'Value',
        dimension: 'event:name',
        view: 'properties',
      },
    ],
  },
];

export function Breakdowns({
  domain,
  state,
  update,
}: {
  domain: string;
  state: DashboardState;
  update: (patch: Partial<DashboardState>) => void;
}) {
  return (
    <div className="panels">
      {PANELS.map((panel) => (
        <BreakdownPanel
          key={panel.title}
          title={panel.title}
          tabs={panel.tabs}
          domain={domain}
          state={state}
          update={update}
        />
      ))}
    </div>
  );
}
