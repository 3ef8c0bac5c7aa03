import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

// The monitoring objects: the PrometheusRule's alerts behave as intended (promtool unit tests), the
// Alertmanager routing is valid and sends critical alerts to on-call (amtool), and every metric a
// rule or dashboard reads is one the services really export (so a renamed metric cannot leave an
// alert silently watching nothing). promtool/amtool come from Debian's prometheus and
// prometheus-alertmanager packages (scripts/test.mjs installs them when it can).

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'monitoring');
const ROOT = join(DIR, '..', '..', '..');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PROMTOOL = has('promtool');
const AMTOOL = has('amtool');
if (!PROMTOOL)
  console.log('monitoring: promtool tests SKIPPED — promtool not installed (apt-get install prometheus)');
if (!AMTOOL)
  console.log(
    'monitoring: amtool checks SKIPPED — amtool not installed (apt-get install prometheus-alertmanager)',
  );

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}
const ruleObject = parse(readFileSync(join(DIR, 'prometheus-rule.yaml'), 'utf8')) as {
  spec: { groups: { name: string; rules: Rule[] }[] };
};
const rules = ruleObject.spec.groups.flatMap((g) => g.rules);
const work = mkdtempSync(join(tmpdir(), 'sightline-monitoring-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = work) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, stdout: r.stdout, out: `${r.stdout}${r.stderr}` };
}

describe('alert rules', () => {
  it('every alert has a severity the routing knows, a summary and a runbook link', () => {
    const alerts = rules.filter((r) => r.alert);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const r of alerts as (Rule & { annotations?: Record<string, string> })[]) {
      expect(['critical', 'warning'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.runbook, r.alert).toMatch(/^deploy\/RUNBOOK\.md#[a-z-]+$/);
    }
  });

  it('links each alert to a section of deploy/RUNBOOK.md that exists', () => {
    const runbook = readFileSync(join(ROOT, 'deploy', 'RUNBOOK.md'), 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) =>
        (m[1] ?? '')
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const r of rules as (Rule & { annotations?: Record<string, string> })[]) {
      if (r.alert) expect(anchors, r.alert).toContain(r.annotations?.runbook?.split('#')[1]);
    }
  });

  it('covers backlog, flush failures, dead letters, spool, API 5xx and p99, jobs, backups and disks', () => {
    const names = new Set(rules.map((r) => r.alert));
    for (const a of [
      'IngestBacklogGrowing',
      'FlushFailing',
      'EventsDeadLettered',
      'ReceiverSpoolInUse',
      'ApiErrorRateHigh',
      'ApiLatencyP99High',
      'JobOverdue',
      'JobFailing',
      'BackupTooOld',
      'BackupMissing',
      'DiskFillingUp',
    ]) {
      expect(names, a).toContain(a);
    }
  });

  it.skipIf(!PROMTOOL)(
    'pass `promtool check rules` and the unit tests in rules.test.yaml',
    () => {
      writeFileSync(join(work, 'sightline.rules.yaml'), stringify({ groups: ruleObject.spec.groups }));
      copyFileSync(join(DIR, 'rules.test.yaml'), join(work, 'rules.test.yaml'));
      const check = run('promtool', ['check', 'rules', 'sightline.rules.yaml']);
      expect(check.ok, check.out).toBe(true);
      const test = run('promtool', ['test', 'rules', 'rules.test.yaml']);
      expect(test.ok, test.out).toBe(true);
    },
    120_000,
  );
});

/** The metric names an expression reads (our prefixes only; kubelet and ClickHouse's own are external). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:sightline|api_http)_[a-z0-9_]+)/g)].map((m) =>
    (m[1] ?? '').replace(/_(bucket|count|sum)$/, ''),
  );
}

/** Every metric name registered in the services' sources (prom-client `name: '…'`). */
function exportedMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', '.next'].includes(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/name: '([a-z0-9_]+)'/g)) names.add(m[1] ?? '');
      }
    }
  };
  for (const dir of ['ingest/src', 'api/src', 'libs']) walk(join(ROOT, dir));
  // The Pushgateway text of libs/backup/src/backup-metrics.ts.
  const backup = readFileSync(join(ROOT, 'libs/backup/src/backup-metrics.ts'), 'utf8');
  for (const m of backup.matchAll(/'(sightline_backup_[a-z_]+)'/g)) names.add(m[1] ?? '');
  // The workers' metrics contract (issue: workers service; workers/src registers them).
  for (const n of [
    'sightline_job_last_success_timestamp_seconds',
    'sightline_job_failures_total',
    'sightline_job_duration_seconds',
  ])
    names.add(n);
  return names;
}

describe('metrics read by rules and dashboards exist', () => {
  const exported = exportedMetrics();
  const isDefault = (n: string) => /^sightline_(process|nodejs)_/.test(n); // prom-client defaults, prefixed

  it('every rule reads exported metrics', () => {
    const missing = rules
      .flatMap((r) => metricNames(r.expr))
      .filter((n) => !exported.has(n) && !isDefault(n));
    expect(missing).toEqual([]);
  });

  const dashboards = readdirSync(join(DIR, 'dashboards')).filter((f) => f.endsWith('.json'));
  it.each(dashboards)('dashboards/%s: valid, unique uid, every panel queries exported metrics', (file) => {
    const board = JSON.parse(readFileSync(join(DIR, 'dashboards', file), 'utf8')) as {
      uid: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(board.uid).toMatch(/^sightline-/);
    expect(board.panels.length).toBeGreaterThan(0);
    for (const panel of board.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      const missing = panel.targets
        .flatMap((t) => metricNames(t.expr))
        .filter((n) => !exported.has(n) && !isDefault(n));
      expect(missing, panel.title).toEqual([]);
    }
    const kustomization = readFileSync(join(DIR, 'kustomization.yaml'), 'utf8');
    expect(kustomization).toContain(`dashboards/${file}`);
  });
});

interface Matcher {
  name: string;
  value: string;
  matchType: string;
}
interface AmRoute {
  receiver: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  matchers?: Matcher[];
  routes?: AmRoute[];
}

/**
 * The AlertmanagerConfig as the Alertmanager configuration file the operator generates from it (the
 * Slack URL read from the mounted secret file), for amtool.
 */
function toAlertmanagerYaml(): string {
  const cr = parse(readFileSync(join(DIR, 'alertmanager-config.yaml'), 'utf8').split(/^---$/m)[0] ?? '') as {
    spec: {
      route: AmRoute;
      inhibitRules: { sourceMatch: Matcher[]; targetMatch: Matcher[]; equal: string[] }[];
      receivers: {
        name: string;
        slackConfigs: {
          apiURL: { name: string; key: string };
          channel: string;
          sendResolved: boolean;
          title: string;
          text: string;
        }[];
      }[];
    };
  };
  const matchers = (ms: Matcher[] = []) => ms.map((m) => `${m.name}${m.matchType}"${m.value}"`);
  const route = (r: AmRoute): Record<string, unknown> => ({
    receiver: r.receiver,
    ...(r.groupBy && { group_by: r.groupBy }),
    ...(r.groupWait && { group_wait: r.groupWait }),
    ...(r.groupInterval && { group_interval: r.groupInterval }),
    ...(r.repeatInterval && { repeat_interval: r.repeatInterval }),
    ...(r.matchers && { matchers: matchers(r.matchers) }),
    ...(r.routes && { routes: r.routes.map(route) }),
  });
  return stringify({
    route: route(cr.spec.route),
    inhibit_rules: cr.spec.inhibitRules.map((i) => ({
      source_matchers: matchers(i.sourceMatch),
      target_matchers: matchers(i.targetMatch),
      equal: i.equal,
    })),
    receivers: cr.spec.receivers.map((r) => ({
      name: r.name,
      slack_configs: r.slackConfigs.map((s) => ({
        api_url_file: `/etc/alertmanager/secrets/${s.apiURL.name}/${s.apiURL.key}`,
        channel: s.channel,
        send_resolved: s.sendResolved,
        title: s.title,
        text: s.text,
      })),
    })),
  });
}

describe.skipIf(!AMTOOL)('Alertmanager routing (amtool)', () => {
  it('is a valid configuration', () => {
    writeFileSync(join(work, 'alertmanager.yml'), toAlertmanagerYaml());
    const check = run('amtool', ['check-config', 'alertmanager.yml']);
    expect(check.ok, check.out).toBe(true);
  });

  it.each([
    ['severity=critical', 'slack-oncall'],
    ['severity=warning', 'slack-alerts'],
    ['alertname=Anything', 'slack-alerts'],
  ])('routes %s to %s', (labels, receiver) => {
    writeFileSync(join(work, 'alertmanager.yml'), toAlertmanagerYaml());
    const r = run('amtool', ['config', 'routes', 'test', '--config.file=alertmanager.yml', labels]);
    expect(r.stdout.trim(), r.out).toBe(receiver);
  });
});
