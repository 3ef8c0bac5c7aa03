import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseToObject } from 'hcl2-parser';
import { describe, expect, it } from 'vitest';

// deploy/terraform parsed as HCL (no providers needed, so this runs offline): the storage rules
// that protect backups — encryption, versioning, public access blocked, TLS only, retention
// lifecycle, multipart clean-up — and the backup role's least privilege cannot silently regress.
// `terraform fmt -check` runs where the binary exists; `terraform validate` needs the providers and
// runs in CI (.github/workflows/terraform.yml).

const DIR = dirname(fileURLToPath(import.meta.url));
type Block = Record<string, unknown>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.tf'));
const parsed = files.map((f) => {
  const [body, error] = parseToObject(readFileSync(join(DIR, f), 'utf8'));
  if (error || !body) throw new Error(`${f}: ${String(error)}`);
  return body;
});

/** `resource "type" "name" {…}` (or data) across all files: the single block's attributes. */
function block(kind: 'resource' | 'data', type: string, name: string): Block {
  for (const body of parsed) {
    const found = (body[kind] as Record<string, Record<string, Block[]>> | undefined)?.[type]?.[name]?.[0];
    if (found) return found;
  }
  throw new Error(`${kind} ${type}.${name} not found`);
}
const first = (v: unknown): Block => ((v as Block[] | undefined)?.[0] ?? {}) as Block;
const all = (v: unknown): Block[] => (v as Block[] | undefined) ?? [];

const hasTerraform = spawnSync('terraform', ['version']).status === 0;
if (!hasTerraform) console.log('terraform: `terraform fmt -check` SKIPPED — terraform is not installed');

describe('deploy/terraform', () => {
  it('parses, and pins exact provider versions', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'versions.tf',
        'variables.tf',
        'outputs.tf',
        'storage.tf',
        'iam.tf',
        'cdn.tf',
        'dns.tf',
      ]),
    );
    const tf = parsed.map((b) => first(b.terraform)).find((t) => t.required_providers);
    const providers = first(tf?.required_providers) as Record<string, { source: string; version: string }>;
    expect(Object.keys(providers).length).toBeGreaterThan(0);
    for (const [name, p] of Object.entries(providers)) expect(p.version, name).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.skipIf(!hasTerraform)('is formatted (terraform fmt -check)', () => {
    const r = spawnSync('terraform', ['fmt', '-check', '-recursive', DIR], { encoding: 'utf8' });
    expect(r.status, r.stdout).toBe(0);
  });

  it('documents every variable and output', () => {
    for (const body of parsed) {
      for (const kind of ['variable', 'output']) {
        for (const [name, blocks] of Object.entries((body[kind] as Record<string, Block[]>) ?? {})) {
          expect(String(first(blocks).description ?? ''), `${kind} ${name}`).toMatch(/\w{3,}.*\w/);
        }
      }
    }
  });

  describe('backup and export buckets', () => {
    const buckets = ['backups', 'exports'];
    const bucketsLocal = () => {
      const locals = parsed.flatMap((b) => all(b.locals)).find((l) => l.buckets) as {
        buckets: Record<string, string>;
      };
      return locals.buckets;
    };

    it('are both created from one definition, so every rule below applies to each', () => {
      expect(Object.keys(bucketsLocal()).sort()).toEqual(buckets);
      expect(block('resource', 'aws_s3_bucket', 'store').for_each).toBe('${local.buckets}');
      for (const type of [
        'aws_s3_bucket_public_access_block',
        'aws_s3_bucket_versioning',
        'aws_s3_bucket_server_side_encryption_configuration',
        'aws_s3_bucket_lifecycle_configuration',
        'aws_s3_bucket_policy',
        'aws_s3_bucket_ownership_controls',
      ]) {
        expect(block('resource', type, 'store').for_each, type).toBe('${aws_s3_bucket.store}');
      }
    });

    it('are encrypted with a rotating customer-managed KMS key', () => {
      const sse = first(
        first(block('resource', 'aws_s3_bucket_server_side_encryption_configuration', 'store').rule)
          .apply_server_side_encryption_by_default,
      );
      expect(sse.sse_algorithm).toBe('aws:kms');
      expect(sse.kms_master_key_id).toBe('${aws_kms_key.storage.arn}');
      expect(block('resource', 'aws_kms_key', 'storage').enable_key_rotation).toBe(true);
    });

    it('are versioned', () => {
      expect(
        first(block('resource', 'aws_s3_bucket_versioning', 'store').versioning_configuration).status,
      ).toBe('Enabled');
    });

    it('block every kind of public access and disable ACLs', () => {
      const pab = block('resource', 'aws_s3_bucket_public_access_block', 'store');
      for (const k of [
        'block_public_acls',
        'block_public_policy',
        'ignore_public_acls',
        'restrict_public_buckets',
      ]) {
        expect(pab[k], k).toBe(true);
      }
      expect(
        first(block('resource', 'aws_s3_bucket_ownership_controls', 'store').rule).object_ownership,
      ).toBe('BucketOwnerEnforced');
    });

    it('deny every request not made over TLS 1.2+', () => {
      expect(block('resource', 'aws_s3_bucket_policy', 'store').policy).toBe(
        '${data.aws_iam_policy_document.store[each.key].json}',
      );
      const statements = all(block('data', 'aws_iam_policy_document', 'store').statement);
      const tls = statements.find((s) => all(s.condition).some((c) => c.variable === 'aws:SecureTransport'));
      expect(tls).toMatchObject({
        effect: 'Deny',
        actions: ['s3:*'],
        resources: ['${each.value.arn}', '${each.value.arn}/*'],
      });
      expect(first(tls?.condition)).toMatchObject({ test: 'Bool', values: ['false'] });
      expect(first(tls?.principals)).toMatchObject({ type: '*', identifiers: ['*'] });
      const version = statements.find((s) => all(s.condition).some((c) => c.variable === 's3:TlsVersion'));
      expect(first(version?.condition)).toMatchObject({ test: 'NumericLessThan', values: ['1.2'] });
      expect(version?.effect).toBe('Deny');
    });

    it('expire objects and old versions after the retention (default 30 days) and abort stale uploads', () => {
      const rules = all(block('resource', 'aws_s3_bucket_lifecycle_configuration', 'store').rule);
      const expire = rules.find((r) => r.expiration);
      expect(expire?.status).toBe('Enabled');
      expect(first(expire?.filter)).toEqual({});
      expect(first(expire?.expiration).days).toBe('${var.backup_retention_days}');
      expect(first(expire?.noncurrent_version_expiration).noncurrent_days).toBe(
        '${var.backup_retention_days}',
      );
      const variable = parsed
        .map((b) => (b.variable as Record<string, Block[]> | undefined)?.backup_retention_days)
        .find(Boolean);
      expect(first(variable).default).toBe(30);
      const abort = rules.find((r) => r.abort_incomplete_multipart_upload);
      expect(abort?.status).toBe('Enabled');
      expect(first(abort?.abort_incomplete_multipart_upload).days_after_initiation).toBeLessThanOrEqual(7);
    });
  });

  describe('backup role', () => {
    it('can be assumed only by the backup service account of the namespace (IRSA)', () => {
      const assume = first(block('data', 'aws_iam_policy_document', 'backup_assume').statement);
      expect(assume.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
      const conditions = all(assume.condition);
      expect(conditions.find((c) => String(c.variable).endsWith(':sub'))?.values).toEqual([
        'system:serviceaccount:${var.kubernetes_namespace}:${var.backup_service_account}',
      ]);
      expect(conditions.find((c) => String(c.variable).endsWith(':aud'))?.values).toEqual([
        'sts.amazonaws.com',
      ]);
    });

    it('may write, read and list backups but never delete them, and touches no other bucket', () => {
      const statements = all(block('data', 'aws_iam_policy_document', 'backup').statement);
      const actions = statements.flatMap((s) => s.actions as string[]);
      expect(actions.some((a) => /Delete|\*/.test(a))).toBe(false);
      expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject', 's3:ListBucket']));
      for (const s of statements) {
        for (const r of s.resources as string[]) expect(r).toMatch(/backups|aws_kms_key\.storage/);
      }
    });
  });

  it('serves the CDN over TLS 1.2+ only, caching only the tracker and static build assets', () => {
    const cdn = block('resource', 'aws_cloudfront_distribution', 'cdn');
    expect(first(cdn.viewer_certificate).minimum_protocol_version).toBe('TLSv1.2_2021');
    const behaviors = [...all(cdn.ordered_cache_behavior), first(cdn.default_cache_behavior)];
    for (const b of behaviors) expect(b.viewer_protocol_policy).toBe('redirect-to-https');
    expect(all(cdn.ordered_cache_behavior).map((b) => b.path_pattern)).toEqual(['/js/*', '/_next/static/*']);
    expect(first(cdn.default_cache_behavior).cache_policy_id).toBe(
      '${data.aws_cloudfront_cache_policy.disabled.id}',
    );
    for (const o of all(cdn.origin))
      expect(first(o.custom_origin_config).origin_protocol_policy).toBe('https-only');
  });
});
