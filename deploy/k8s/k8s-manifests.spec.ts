import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// The durability-critical settings of the production manifests: Redis persists and never evicts, the
// flusher keeps a stable consumer name, the receiver's spool survives pod loss, and every container
// is bounded and unprivileged. For the API and the dashboard: their probes, Services, Ingress routes
// (WebSocket included), autoscaling, disruption budgets and network policies line up with the ports
// and paths the apps really serve. Reads the YAML files only (no cluster, no kustomize binary).

const K8S_DIR = dirname(fileURLToPath(import.meta.url));
const REDIS_CONF = join(K8S_DIR, '..', 'redis', 'redis.conf');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type?: string };
}
interface PodSpec {
  enableServiceLinks?: boolean;
  securityContext?: SecurityContext;
  initContainers?: Container[];
  containers: Container[];
  volumes?: { name: string; emptyDir?: object; persistentVolumeClaim?: object }[];
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
}
interface IngressBackend {
  service: { name: string; port: { name?: string; number?: number } };
}
interface NetworkPolicyPeer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    // Deployment / StatefulSet / PodDisruptionBudget (selector), Service (selector as a plain map).
    selector?: LabelSelector | Record<string, string>;
    replicas?: number;
    strategy?: { rollingUpdate?: { maxUnavailable?: number | string } };
    // Service
    ports?: { name: string; port: number; targetPort: string | number }[];
    // HorizontalPodAutoscaler
    scaleTargetRef?: { kind: string; name: string };
    minReplicas?: number;
    // PodDisruptionBudget
    maxUnavailable?: number | string;
    // Ingress
    tls?: { hosts: string[]; secretName: string }[];
    rules?: {
      host: string;
      http: { paths: { path: string; pathType: string; backend: IngressBackend }[] };
    }[];
    // NetworkPolicy
    podSelector?: LabelSelector;
    ingress?: { from: NetworkPolicyPeer[]; ports: { port: number | string }[] }[];
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: {
      metadata: { name: string };
      spec: { resources: { requests: { storage: string } } };
    }[];
  };
}
interface Kustomization {
  resources?: string[];
}
interface LoadedFile {
  file: string;
  manifests: Manifest[];
}

/** Parses every YAML document of a file; throws on any syntax error. */
function parseYamlFile(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  return docs.map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    return doc.toJS() as unknown;
  });
}

/** Every resource file a kustomization includes, following sub-directories' kustomization.yaml. */
function loadKustomization(dir: string): LoadedFile[] {
  const [kustomization] = parseYamlFile(join(dir, 'kustomization.yaml')) as Kustomization[];
  const loaded: LoadedFile[] = [];
  for (const entry of kustomization?.resources ?? []) {
    const path = join(dir, entry);
    if (!existsSync(path)) throw new Error(`${relative(K8S_DIR, path)} is listed but does not exist`);
    if (statSync(path).isDirectory()) loaded.push(...loadKustomization(path));
    else loaded.push({ file: path, manifests: parseYamlFile(path).filter(Boolean) as Manifest[] });
  }
  return loaded;
}

const files = loadKustomization(K8S_DIR);
const manifests = files.flatMap((f) => f.manifests);

function find(kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not in the kustomization`);
  return found;
}

function podSpec(m: Manifest): PodSpec {
  const spec = m.spec?.template?.spec;
  if (!spec) throw new Error(`${m.kind}/${m.metadata.name} has no pod template`);
  return spec;
}

function container(m: Manifest, name: string): Container {
  const c = podSpec(m).containers.find((x) => x.name === name);
  if (!c) throw new Error(`${m.kind}/${m.metadata.name} has no container ${name}`);
  return c;
}

/** The container port a probe or Service names (`http`) or gives as a number. */
function containerPort(c: Container, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/** Whether a label selector (matchLabels or a Service's plain map) selects the given labels. */
function selects(
  selector: LabelSelector | Record<string, string> | undefined,
  labels: Record<string, string>,
) {
  const wanted = (selector as LabelSelector | undefined)?.matchLabels ?? (selector as Record<string, string>);
  if (!wanted || Object.keys(wanted).length === 0) return false;
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

function podLabels(m: Manifest): Record<string, string> {
  return m.spec?.template?.metadata?.labels ?? {};
}

/** `directive value` lines of a redis.conf, comments and blank lines left out. */
function redisDirectives(conf: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [key = '', ...rest] = line.split(/\s+/);
    directives.set(key.toLowerCase(), rest.join(' '));
  }
  return directives;
}

/** Kubernetes quantity ("1Gi", "512Mi") or Redis size ("640mb") in bytes. */
function bytes(quantity: string): number {
  const match = /^(\d+)\s*(ki|mi|gi|kb|mb|gb|k|m|g)?$/i.exec(quantity.trim());
  if (!match) throw new Error(`unparsable size ${quantity}`);
  const unit = (match[2] ?? '').toLowerCase();
  const factor: Record<string, number> = {
    '': 1,
    k: 1000,
    m: 1000 ** 2,
    g: 1000 ** 3,
    ki: 1024,
    mi: 1024 ** 2,
    gi: 1024 ** 3,
    kb: 1024,
    mb: 1024 ** 2,
    gb: 1024 ** 3,
  };
  return Number(match[1]) * (factor[unit] ?? Number.NaN);
}

describe('kustomization', () => {
  it('lists only files that exist and parse, and they hold the expected workloads', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const { file, manifests: docs } of files) {
      expect(docs.length, relative(K8S_DIR, file)).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(typeof doc.apiVersion, relative(K8S_DIR, file)).toBe('string');
        expect(typeof doc.kind, relative(K8S_DIR, file)).toBe('string');
        expect(doc.metadata?.name, relative(K8S_DIR, file)).toBeTruthy();
      }
    }
    expect(find('StatefulSet', 'redis')).toBeDefined();
    expect(find('StatefulSet', 'ingest-receiver')).toBeDefined();
    expect(find('StatefulSet', 'ingest-flusher')).toBeDefined();
    expect(find('Deployment', 'api')).toBeDefined();
    expect(find('Deployment', 'dashboard')).toBeDefined();
    expect(find('Ingress', 'app')).toBeDefined();
  });

  it('never ships a Secret: credentials come from sightline-ingest-secrets, created out of band', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    expect(files.map((f) => f.file)).not.toContain(join(K8S_DIR, 'ingest', 'secrets.example.yaml'));
    for (const name of ['ingest-receiver', 'ingest-flusher']) {
      const main = podSpec(find('StatefulSet', name)).containers[0];
      expect(main?.envFrom?.map((e) => e.secretRef?.name)).toContain('sightline-ingest-secrets');
    }
    const config = find('ConfigMap', 'ingest-config').data ?? {};
    for (const secret of ['DATABASE_URL', 'CLICKHOUSE_URL', 'CLICKHOUSE_PASSWORD', 'SENTRY_DSN']) {
      expect(config, secret).not.toHaveProperty(secret);
    }
  });

  it('references the API credentials by name only: sightline-api-secrets, created out of band', () => {
    expect(files.map((f) => f.file)).not.toContain(join(K8S_DIR, 'api', 'secrets.example.yaml'));
    const main = container(find('Deployment', 'api'), 'api');
    expect(main.envFrom?.map((e) => e.secretRef?.name)).toContain('sightline-api-secrets');
    const config = find('ConfigMap', 'api-config').data ?? {};
    for (const secret of [
      'DATABASE_URL',
      'CLICKHOUSE_URL',
      'CLICKHOUSE_PASSWORD',
      'SMTP_URL',
      'SENTRY_DSN',
    ]) {
      expect(config, secret).not.toHaveProperty(secret);
    }
    // The dashboard holds no credentials at all.
    const dashboard = container(find('Deployment', 'dashboard'), 'dashboard');
    expect(dashboard.envFrom?.filter((e) => e.secretRef) ?? []).toEqual([]);
  });
});

describe('redis', () => {
  const conf = find('ConfigMap', 'redis-config').data?.['redis.conf'] ?? '';
  const directives = redisDirectives(conf);

  it('persists every write to an AOF and never evicts', () => {
    expect(directives.get('appendonly')).toBe('yes');
    expect(directives.get('appendfsync')).toBe('everysec');
    expect(directives.get('maxmemory-policy')).toBe('noeviction');
    expect(directives.get('save')).toBe('""');
    expect(directives.get('dir')).toBe('/data');
  });

  it('has every setting of deploy/redis/redis.conf (docker-compose) with the same value', () => {
    for (const [key, value] of redisDirectives(readFileSync(REDIS_CONF, 'utf8'))) {
      expect(directives.get(key), key).toBe(value);
    }
  });

  it('keeps maxmemory below the container memory limit and /data on a persistent volume', () => {
    const redis = find('StatefulSet', 'redis');
    const limit = String(container(redis, 'redis').resources?.limits?.memory ?? '');
    const maxmemory = directives.get('maxmemory');
    expect(maxmemory).toBeDefined();
    expect(bytes(maxmemory ?? '')).toBeLessThan(bytes(limit));
    const mount = container(redis, 'redis').volumeMounts?.find((v) => v.mountPath === '/data');
    expect(redis.spec?.volumeClaimTemplates?.map((t) => t.metadata.name)).toContain(mount?.name);
  });
});

describe('ingest', () => {
  it('names each flusher consumer after its pod, so a restarted pod re-reads its own pending entries', () => {
    const flusher = find('StatefulSet', 'ingest-flusher');
    const consumer = container(flusher, 'flusher').env?.find((e) => e.name === 'FLUSHER_CONSUMER');
    expect(consumer?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(consumer?.value).toBeUndefined();
    expect(find('ConfigMap', 'ingest-config').data).not.toHaveProperty('FLUSHER_CONSUMER');
  });

  it("keeps the receiver's spool on a PersistentVolumeClaim, large enough for INGEST_SPOOL_MAX_BYTES", () => {
    const receiver = find('StatefulSet', 'ingest-receiver');
    const main = container(receiver, 'receiver');
    const spoolDir = main.env?.find((e) => e.name === 'INGEST_SPOOL_DIR')?.value;
    expect(spoolDir).toBeTruthy();
    const mount = main.volumeMounts?.find((v) => v.mountPath === spoolDir);
    expect(mount, `a volume mounted at ${spoolDir}`).toBeDefined();
    // From the volumeClaimTemplates (one PVC per replica), not an emptyDir or other pod volume.
    expect(podSpec(receiver).volumes?.map((v) => v.name) ?? []).not.toContain(mount?.name);
    const claim = receiver.spec?.volumeClaimTemplates?.find((t) => t.metadata.name === mount?.name);
    expect(claim, 'spool volumeClaimTemplate').toBeDefined();
    const maxBytes = Number(find('ConfigMap', 'ingest-config').data?.['INGEST_SPOOL_MAX_BYTES']);
    expect(maxBytes).toBeGreaterThan(0);
    expect(maxBytes).toBeLessThan(bytes(claim?.spec.resources.requests.storage ?? '0'));
  });

  it('points REDIS_URL at the redis Service', () => {
    const url = new URL(find('ConfigMap', 'ingest-config').data?.['REDIS_URL'] ?? '');
    expect(url.hostname).toBe(find('Service', 'redis').metadata.name);
    expect(url.port).toBe('6379');
  });
});

describe('api', () => {
  const deployment = find('Deployment', 'api');
  const api = container(deployment, 'api');
  const config = find('ConfigMap', 'api-config').data ?? {};

  it('runs the bundle of api/Dockerfile on the ports api-config gives it', () => {
    expect(api.command).toEqual(['node', 'api/dist/main.js']);
    expect(api.envFrom?.map((e) => e.configMapRef?.name)).toContain('api-config');
    expect(containerPort(api, 'http')).toBe(Number(config['API_PORT']));
    expect(containerPort(api, 'metrics')).toBe(Number(config['API_METRICS_PORT']));
    expect(config['API_HOST']).toBe('0.0.0.0');
  });

  it('probes liveness on /api/health and readiness on /api/ready (the stores), on the public port', () => {
    expect(api.livenessProbe?.httpGet?.path).toBe('/api/health');
    expect(api.readinessProbe?.httpGet?.path).toBe('/api/ready');
    expect(api.startupProbe?.httpGet?.path).toBe('/api/health');
    for (const probe of [api.livenessProbe, api.readinessProbe, api.startupProbe]) {
      expect(containerPort(api, probe?.httpGet?.port)).toBe(Number(config['API_PORT']));
    }
  });

  it('has a Service, an autoscaler (≥ 2 replicas), a disruption budget and a rolling update without gaps', () => {
    const service = find('Service', 'sightline-api');
    expect(selects(service.spec?.selector, podLabels(deployment))).toBe(true);
    expect(containerPort(api, service.spec?.ports?.[0]?.targetPort)).toBe(Number(config['API_PORT']));
    const hpa = find('HorizontalPodAutoscaler', 'api');
    expect(hpa.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'api' });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = find('PodDisruptionBudget', 'api');
    expect(selects(pdb.spec?.selector, podLabels(deployment))).toBe(true);
    expect(pdb.spec?.maxUnavailable).toBe(1);
    expect(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });

  it('admits the public port from the ingress controller and the dashboard, metrics from monitoring only', () => {
    const policy = find('NetworkPolicy', 'api');
    expect(selects(policy.spec?.podSelector, podLabels(deployment))).toBe(true);
    const rules = policy.spec?.ingress ?? [];
    const publicRule = rules.find((r) => r.ports.some((p) => p.port === Number(config['API_PORT'])));
    const metricsRule = rules.find((r) => r.ports.some((p) => p.port === Number(config['API_METRICS_PORT'])));
    expect(publicRule?.from).toContainEqual(
      expect.objectContaining({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
      }),
    );
    expect(
      publicRule?.from.some((peer) => selects(peer.podSelector, podLabels(find('Deployment', 'dashboard')))),
    ).toBe(true);
    expect(metricsRule?.from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });

  it('points at the redis Service, trusts the ingress hop and allows the app host as Origin', () => {
    expect(new URL(config['REDIS_URL'] ?? '').hostname).toBe(find('Service', 'redis').metadata.name);
    expect(config['TRUSTED_PROXY_HOPS']).toBe('1');
    const appHost = find('Ingress', 'app').spec?.rules?.[0]?.host;
    expect(new URL(config['PUBLIC_APP_URL'] ?? '').origin).toBe(`https://${appHost}`);
  });
});

describe('dashboard', () => {
  const deployment = find('Deployment', 'dashboard');
  const dashboard = container(deployment, 'dashboard');
  const env = (name: string) => dashboard.env?.find((e) => e.name === name)?.value;

  it('runs the standalone server on every interface, probed on a page that needs no API', () => {
    expect(dashboard.command).toEqual(['node', 'dashboard/server.js']);
    expect(env('HOSTNAME')).toBe('0.0.0.0');
    expect(containerPort(dashboard, 'http')).toBe(Number(env('PORT')));
    for (const probe of [dashboard.startupProbe, dashboard.readinessProbe, dashboard.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/login');
      expect(containerPort(dashboard, probe?.httpGet?.port)).toBe(Number(env('PORT')));
    }
  });

  it("has a Service, a disruption budget, and Next's cache on a writable volume", () => {
    const service = find('Service', 'sightline-dashboard');
    expect(selects(service.spec?.selector, podLabels(deployment))).toBe(true);
    expect(containerPort(dashboard, service.spec?.ports?.[0]?.targetPort)).toBe(Number(env('PORT')));
    expect(selects(find('PodDisruptionBudget', 'dashboard').spec?.selector, podLabels(deployment))).toBe(
      true,
    );
    expect(dashboard.volumeMounts?.map((m) => m.mountPath)).toContain('/app/dashboard/.next/cache');
    const policy = find('NetworkPolicy', 'dashboard');
    expect(selects(policy.spec?.podSelector, podLabels(deployment))).toBe(true);
  });
});

describe('app ingress', () => {
  const ingress = find('Ingress', 'app');
  const rule = ingress.spec?.rules?.[0];
  const route = (path: string) => rule?.http.paths.find((p) => p.path === path);

  it('routes /api (REST and the /api/realtime WebSocket) to the API and everything else to the dashboard', () => {
    expect(ingress.spec?.rules).toHaveLength(1);
    expect(route('/api')).toMatchObject({
      pathType: 'Prefix',
      backend: { service: { name: 'sightline-api' } },
    });
    expect(route('/')).toMatchObject({
      pathType: 'Prefix',
      backend: { service: { name: 'sightline-dashboard' } },
    });
    for (const path of ['/api', '/']) {
      const backend = route(path)?.backend.service;
      const service = find('Service', backend?.name ?? '');
      expect(service.spec?.ports?.map((p) => p.name)).toContain(backend?.port.name);
    }
    expect(ingress.spec?.tls?.[0]?.hosts).toContain(rule?.host);
  });

  it('keeps idle realtime sockets open: proxy timeouts above the API ping interval (30 s)', () => {
    const annotations = ingress.metadata.annotations ?? {};
    for (const key of ['proxy-read-timeout', 'proxy-send-timeout']) {
      expect(Number(annotations[`nginx.ingress.kubernetes.io/${key}`]), key).toBeGreaterThan(60);
    }
  });
});

describe('every workload', () => {
  const workloads = manifests.filter((m) => m.spec?.template?.spec);

  it.each(workloads.map((m) => [`${m.kind}/${m.metadata.name}`, m] as const))(
    '%s: every container has cpu/memory requests and limits and runs as non-root',
    (_name, workload) => {
      const spec = podSpec(workload);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const kind of ['requests', 'limits'] as const) {
          expect(c.resources?.[kind]?.cpu, `${c.name} ${kind}.cpu`).toBeDefined();
          expect(c.resources?.[kind]?.memory, `${c.name} ${kind}.memory`).toBeDefined();
        }
        const runAsNonRoot = c.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
        const runAsUser = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
        expect(runAsNonRoot, `${c.name} runAsNonRoot`).toBe(true);
        expect(runAsUser, `${c.name} runAsUser`).toBeGreaterThan(0);
        expect(c.securityContext?.allowPrivilegeEscalation, `${c.name} allowPrivilegeEscalation`).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, `${c.name} readOnlyRootFilesystem`).toBe(true);
      }
    },
  );

  it.each(workloads.map((m) => [`${m.kind}/${m.metadata.name}`, m] as const))(
    "%s: meets the namespace's `restricted` Pod Security Standard and gets no service-link variables",
    (_name, workload) => {
      const spec = podSpec(workload);
      expect(spec.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect(c.securityContext?.capabilities?.drop, `${c.name} capabilities.drop`).toContain('ALL');
      }
      // Otherwise a Service named e.g. `api` injects API_PORT=tcp://… and config validation fails.
      expect(spec.enableServiceLinks).toBe(false);
    },
  );

  it("no Service's injected <NAME>_PORT variable collides with a configured variable", () => {
    const configured = new Set(
      manifests.filter((m) => m.kind === 'ConfigMap').flatMap((m) => Object.keys(m.data ?? {})),
    );
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      const prefix = service.metadata.name.toUpperCase().replace(/-/g, '_');
      expect(configured, service.metadata.name).not.toContain(`${prefix}_PORT`);
    }
  });
});
