import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingestSoak, ingestSpike, ingestSteady } from '../scenarios/ingest.options';
import { realtimeSockets, signIn, statsApi } from '../scenarios/api.options';

// The k6 suite: typechecked against @types/k6 (k6 itself is AGPL and never installed as a
// dependency), every scenario bounded in time with error-rate and p95/p99 thresholds, loopback
// targets by default, and documented in the README with the command that runs it.

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(DIR, '..');

interface Stage {
  duration: string;
}
interface ScenarioShape {
  executor: string;
  duration?: string;
  stages?: Stage[];
  gracefulRampDown?: string;
}
interface OptionsShape {
  scenarios: Record<string, ScenarioShape>;
  thresholds: Record<string, string[]>;
}

const SCENARIOS: Record<string, { options: OptionsShape; maxSeconds: number }> = {
  'ingest-steady.ts': { options: ingestSteady, maxSeconds: 10 * 60 },
  'ingest-spike.ts': { options: ingestSpike, maxSeconds: 10 * 60 },
  'ingest-soak.ts': { options: ingestSoak, maxSeconds: 65 * 60 },
  'stats-api.ts': { options: statsApi, maxSeconds: 10 * 60 },
  'realtime-websockets.ts': { options: realtimeSockets, maxSeconds: 10 * 60 },
  'sign-in.ts': { options: signIn, maxSeconds: 10 * 60 },
};

function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    total += Number(n) * ({ h: 3600, m: 60, s: 1, ms: 0.001 }[unit as 'h' | 'm' | 's' | 'ms'] ?? NaN);
  }
  if (!(total > 0)) throw new Error(`unparsable duration ${duration}`);
  return total;
}

describe('loadtests (k6 scenarios)', () => {
  it('typecheck against @types/k6', () => {
    const r = spawnSync('npx', ['tsc', '-p', join(DIR, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  it('has one entry per scenario file, and nothing else is a scenario', () => {
    const files = readdirSync(join(DIR, 'scenarios')).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.options.ts'),
    );
    expect(files.sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it.each(Object.entries(SCENARIOS))('%s: bounded duration, error-rate and p95/p99 thresholds', (file, s) => {
    const source = readFileSync(join(DIR, 'scenarios', file), 'utf8');
    expect(source).toMatch(/export const options: Options = \w+;/);
    for (const scenario of Object.values(s.options.scenarios)) {
      const length = scenario.duration
        ? seconds(scenario.duration)
        : (scenario.stages ?? []).reduce((sum, st) => sum + seconds(st.duration), 0);
      const grace = scenario.gracefulRampDown ? seconds(scenario.gracefulRampDown) : 30;
      expect(length, file).toBeGreaterThan(0);
      expect(length + grace, file).toBeLessThanOrEqual(s.maxSeconds);
    }
    const thresholds = Object.entries(s.options.thresholds);
    expect(
      thresholds.some(
        ([m, t]) => ['http_req_failed', 'checks'].includes(m) && t.some((x) => /^rate[<>]/.test(x)),
      ),
    ).toBe(true);
    const latency = thresholds.filter(([m]) => /duration|connecting/.test(m)).flatMap(([, t]) => t);
    expect(latency.some((t) => t.startsWith('p(95)<'))).toBe(true);
    expect(latency.some((t) => t.startsWith('p(99)<'))).toBe(true);
  });

  it('targets loopback (the `npm start` ports) unless told otherwise', () => {
    const targets = readFileSync(join(DIR, 'scenarios', 'lib', 'targets.ts'), 'utf8');
    const urls = [...targets.matchAll(/\|\| '(https?:\/\/[^']+)'/g)].map((m) => m[1]);
    expect(urls.length).toBe(3);
    for (const url of urls) expect(url).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
  });

  it('documents how to run each scenario against `npm start`', () => {
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    expect(readme).toContain('npm start');
    for (const file of Object.keys(SCENARIOS)) expect(readme).toContain(`k6 run loadtests/scenarios/${file}`);
  });

  it('never depends on k6 (AGPL): no package.json lists it', () => {
    for (const pkg of ['package.json', 'loadtests/package.json']) {
      const json = JSON.parse(readFileSync(join(ROOT, pkg), 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      for (const deps of [json.dependencies, json.devDependencies])
        expect(Object.keys(deps ?? {})).not.toContain('k6');
    }
  });
});
