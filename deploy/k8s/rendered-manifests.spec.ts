import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// Every overlay and Flux directory rendered by `kubectl kustomize` (as the cluster and Flux will
// render them), and every rendered object validated against its Kubernetes or CRD schema offline
// (kubernetes-models and its CRD packages; none may be missing). Then the operational promises:
// what each overlay must contain, how backups and migrations are scheduled, the network defaults,
// the GitOps order, and that no Secret is ever committed.

const K8S_DIR = dirname(fileURLToPath(import.meta.url));
const KUBECTL = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const OVERLAYS = ['overlays/staging', 'overlays/production', 'overlays/production-managed-postgres'];
const RENDERED = ['.', ...OVERLAYS, 'flux/staging', 'flux/production'];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & {
    podSelector?: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
  };
  data?: Record<string, string>;
}

function render(dir: string): K8sObject[] {
  const result = spawnSync('kubectl', ['kustomize', join(K8S_DIR, dir)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir}: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
}

/** apiVersion → the module of the package that has its schemas. */
function schemaModule(apiVersion: string): string {
  const [group = '', version = ''] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}`;
  if (group.endsWith('.k8s.io') || ['apps', 'batch', 'policy', 'autoscaling'].includes(group)) {
    return `kubernetes-models/${group}/${version}`;
  }
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  if (group === 'cert-manager.io') return `@kubernetes-models/cert-manager/${group}/${version}`;
  if (group.endsWith('.toolkit.fluxcd.io')) return `@kubernetes-models/flux-cd/${group}/${version}`;
  // External Secrets' v1 API kept v1beta1's schema for the fields used here; the package ships v1beta1.
  if (group === 'external-secrets.io') return `@kubernetes-models/external-secrets/${group}/v1beta1`;
  if (group === 'postgresql.cnpg.io') return `@kubernetes-models/cloudnative-pg/${group}/${version}`;
  throw new Error(`no schema package for ${apiVersion}`);
}

async function validate(obj: K8sObject): Promise<void> {
  const mod = (await import(/* @vite-ignore */ schemaModule(obj.apiVersion))) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = mod[obj.kind];
  if (!Model) throw new Error(`${obj.apiVersion} has no schema for kind ${obj.kind}`);
  const data =
    obj.apiVersion === 'external-secrets.io/v1' ? { ...obj, apiVersion: 'external-secrets.io/v1beta1' } : obj;
  new Model(data).validate();
}

const rendered = KUBECTL
  ? new Map(RENDERED.map((dir) => [dir, render(dir)]))
  : new Map<string, K8sObject[]>();
if (!KUBECTL)
  console.log('rendered manifests: SKIPPED — kubectl is not installed (needed for `kubectl kustomize`)');

function find(objs: K8sObject[], kind: string, name: string): K8sObject {
  const found = objs.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} missing`);
  return found;
}

describe.skipIf(!KUBECTL)('rendered manifests', () => {
  it.each(RENDERED)('%s: every object validates against its Kubernetes/CRD schema', async (dir) => {
    const objs = rendered.get(dir) ?? [];
    expect(objs.length).toBeGreaterThan(0);
    const errors: string[] = [];
    for (const obj of objs) {
      try {
        await validate(obj);
      } catch (err) {
        errors.push(`${obj.kind}/${obj.metadata?.name}: ${(err as Error).message}`);
      }
    }
    expect(errors).toEqual([]);
  });

  it.each(OVERLAYS)('%s: has the stores, backups, migration, workers and alerting', (dir) => {
    const objs = rendered.get(dir) ?? [];
    find(objs, 'StatefulSet', 'clickhouse');
    find(objs, 'StatefulSet', 'redis');
    find(objs, 'CronJob', 'backup-postgres');
    find(objs, 'CronJob', 'backup-clickhouse');
    find(objs, 'Job', 'sightline-migrate');
    find(objs, 'Deployment', 'workers');
    find(objs, 'PrometheusRule', 'sightline');
    find(objs, 'AlertmanagerConfig', 'sightline');
    for (const name of ['ingest-receiver', 'ingest-flusher', 'api', 'workers', 'clickhouse']) {
      find(objs, 'PodMonitor', name);
      if (name !== 'ingest-receiver' && name !== 'ingest-flusher')
        find(objs, 'ConfigMap', `grafana-dashboard-${name}`);
    }
    // Postgres: CloudNativePG, or (the managed overlay) egress to the managed instance instead.
    if (dir.endsWith('managed-postgres')) {
      expect(objs.some((o) => o.kind === 'Cluster')).toBe(false);
      find(objs, 'NetworkPolicy', 'managed-postgres-egress');
    } else {
      find(objs, 'Cluster', 'sightline-pg');
    }
    for (const o of objs.filter((o) => o.metadata.namespace !== undefined)) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('sightline');
    }
  });

  it.each(OVERLAYS)('%s: never contains a Secret; every ExternalSecret uses the store it ships', (dir) => {
    const objs = rendered.get(dir) ?? [];
    expect(objs.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
    const store = find(objs, 'ClusterSecretStore', 'sightline-secrets');
    for (const es of objs.filter((o) => o.kind === 'ExternalSecret')) {
      expect((es.spec?.secretStoreRef as { name: string }).name).toBe(store.metadata.name);
    }
    // Every secret a workload reads is produced by an ExternalSecret (or by CloudNativePG).
    const produced = new Set(objs.filter((o) => o.kind === 'ExternalSecret').map((o) => o.metadata.name));
    const text = JSON.stringify(
      objs.filter((o) => ['Deployment', 'StatefulSet', 'Job', 'CronJob'].includes(o.kind)),
    );
    for (const [, name] of text.matchAll(/"secretRef":\{"name":"([^"]+)"/g))
      expect(produced, name).toContain(name);
  });

  it('backs up each store daily as a CronJob that never overlaps, has deadlines and reports its outcome', () => {
    const objs = rendered.get('overlays/production') ?? [];
    for (const store of ['postgres', 'clickhouse']) {
      const cron = find(objs, 'CronJob', `backup-${store}`) as unknown as {
        spec: {
          schedule: string;
          concurrencyPolicy: string;
          startingDeadlineSeconds: number;
          jobTemplate: {
            spec: {
              activeDeadlineSeconds: number;
              backoffLimit: number;
              template: { spec: { containers: { command: string[] }[] } };
            };
          };
        };
      };
      expect(cron.spec.concurrencyPolicy).toBe('Forbid');
      expect(cron.spec.schedule).toMatch(/^\d+ \d+ \* \* \*$/);
      expect(cron.spec.startingDeadlineSeconds).toBeGreaterThan(0);
      expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
      expect(cron.spec.jobTemplate.spec.template.spec.containers[0]?.command).toEqual([
        'node',
        'dist/backup.js',
        store,
      ]);
    }
    const config = find(objs, 'ConfigMap', 'backup-config');
    expect(config.data?.BACKUP_PUSHGATEWAY_URL).toMatch(/^http/);
  });

  it('lets the HPAs own replicas: no replicas field on an autoscaled workload', () => {
    for (const dir of OVERLAYS) {
      const objs = rendered.get(dir) ?? [];
      for (const hpa of objs.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
        const ref = hpa.spec?.scaleTargetRef as { kind: string; name: string };
        expect(
          find(objs, ref.kind, ref.name).spec?.replicas,
          `${dir} ${ref.kind}/${ref.name}`,
        ).toBeUndefined();
      }
    }
  });

  it('denies all traffic by default and gives every workload an explicit egress policy', () => {
    const objs = rendered.get('overlays/production') ?? [];
    const deny = find(objs, 'NetworkPolicy', 'default-deny-all');
    expect(deny.spec?.podSelector).toEqual({});
    expect(deny.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    const egress = objs.filter(
      (o) =>
        o.kind === 'NetworkPolicy' &&
        o.spec?.policyTypes?.includes('Egress') &&
        o.metadata.name !== 'default-deny-all',
    );
    for (const app of ['api', 'ingest', 'workers', 'dashboard', 'backup', 'migrate', 'clickhouse']) {
      expect(
        egress.some((p) => p.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'] === app),
        `egress policy for ${app}`,
      ).toBe(true);
    }
    // The workers reach exactly their stores and SMTP/HTTPS.
    const workers = JSON.stringify(find(objs, 'NetworkPolicy', 'workers').spec?.egress);
    for (const port of [5432, 6379, 8123, 465, 587, 443]) expect(workers).toContain(`"port":${port}`);
  });

  it('puts TLS from cert-manager and ingress-nginx rate limits on both Ingresses', () => {
    for (const [dir, issuer] of [
      ['overlays/production', 'letsencrypt-production'],
      ['overlays/staging', 'letsencrypt-staging'],
    ] as const) {
      const objs = rendered.get(dir) ?? [];
      for (const name of ['app', 'ingest']) {
        const a = find(objs, 'Ingress', name).metadata.annotations ?? {};
        expect(a['cert-manager.io/cluster-issuer']).toBe(issuer);
        find(objs, 'ClusterIssuer', issuer);
        expect(Number(a['nginx.ingress.kubernetes.io/limit-rps'])).toBeGreaterThan(0);
        expect(Number(a['nginx.ingress.kubernetes.io/limit-connections'])).toBeGreaterThan(0);
      }
    }
  });

  it('keeps ClickHouse on encrypted, retained storage, with bounded system logs and one user per role', () => {
    const objs = rendered.get('overlays/production') ?? [];
    const sts = find(objs, 'StatefulSet', 'clickhouse') as unknown as {
      spec: { volumeClaimTemplates: { spec: { storageClassName: string } }[] };
    };
    const className = sts.spec.volumeClaimTemplates[0]?.spec.storageClassName ?? '';
    const sc = find(objs, 'StorageClass', className) as unknown as {
      reclaimPolicy: string;
      parameters: Record<string, string>;
    };
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(sc.parameters.encrypted).toBe('true');
    const config = find(objs, 'ConfigMap', 'clickhouse-config').data ?? {};
    expect(config['logs.xml']).toMatch(/<query_log replace="1">[\s\S]*TTL event_date \+ INTERVAL 7 DAY/);
    for (const log of [
      'metric_log',
      'trace_log',
      'text_log',
      'asynchronous_metric_log',
      'query_thread_log',
    ]) {
      expect(config['logs.xml']).toContain(`<${log} remove="1"/>`);
    }
    const users = find(objs, 'ConfigMap', 'clickhouse-users').data?.['users.xml'] ?? '';
    expect(users).toContain('<default remove="1"/>');
    // Every ClickHouse user an app or job is configured with exists, and the flusher may only insert.
    const configured = [
      find(objs, 'ConfigMap', 'ingest-config').data?.CLICKHOUSE_USER,
      find(objs, 'ConfigMap', 'api-config').data?.CLICKHOUSE_USER,
      find(objs, 'ConfigMap', 'workers-config').data?.CLICKHOUSE_USER,
      'sightline_backup',
      'sightline_admin',
    ];
    for (const user of configured) expect(users).toContain(`<${user}>`);
    const flusher = /<sightline_flusher>([\s\S]*?)<\/sightline_flusher>/.exec(users)?.[1] ?? '';
    expect(flusher.match(/GRANT [^<]*/g)).toEqual([
      'GRANT INSERT ON sightline.*',
      'GRANT SELECT ON sightline.events',
    ]);
    const api = /<sightline_api>([\s\S]*?)<\/sightline_api>/.exec(users)?.[1] ?? '';
    expect(api).toContain('<profile>api</profile>');
    expect(users).toMatch(/<api>[\s\S]*<max_execution_time>\d+<\/max_execution_time>[\s\S]*<\/api>/);
  });

  it.each(['staging', 'production'])(
    'flux/%s applies infrastructure → stores → migrations → apps, waiting on each',
    (env) => {
      const objs = rendered.get(`flux/${env}`) ?? [];
      const order = ['infrastructure', 'stores', 'migrations', 'apps'];
      order.forEach((layer, i) => {
        const ks = find(objs, 'Kustomization', `sightline-${layer}`) as unknown as {
          spec: { path: string; dependsOn?: { name: string }[]; force?: boolean };
        };
        expect(existsSync(join(K8S_DIR, '..', '..', ks.spec.path, 'kustomization.yaml')), ks.spec.path).toBe(
          true,
        );
        expect(ks.spec.path).toBe(`./deploy/k8s/overlays/${env}/${layer}`);
        expect(ks.spec.dependsOn?.map((d) => d.name) ?? []).toEqual(
          i === 0 ? [] : [`sightline-${order[i - 1]}`],
        );
        if (layer === 'migrations') expect(ks.spec.force).toBe(true);
      });
    },
  );

  it('pins production images to release tags and lets staging follow Flux image policies that exist', () => {
    const production = rendered.get('overlays/production') ?? [];
    const images = JSON.stringify(production).match(/"image":"[^"]+"/g) ?? [];
    for (const image of images.filter((i) => i.includes('sightline/')))
      expect(image).toMatch(/:v\d+\.\d+\.\d+"$/);
    const policies = new Set(
      (rendered.get('flux/staging') ?? [])
        .filter((o) => o.kind === 'ImagePolicy')
        .map((o) => o.metadata.name),
    );
    for (const layer of ['stores', 'migrations', 'apps']) {
      const text = readFileSync(join(K8S_DIR, 'overlays', 'staging', layer, 'kustomization.yaml'), 'utf8');
      const markers = [...text.matchAll(/"\$imagepolicy": "flux-system:([a-z-]+):tag"/g)].map((m) => m[1]);
      expect(markers.length, layer).toBeGreaterThan(0);
      for (const m of markers) expect(policies).toContain(m);
    }
  });
});
