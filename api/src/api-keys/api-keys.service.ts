import { Inject, Injectable } from '@nestjs/common';
import type { ApiKeyView, CreatedApiKey } from '@sightline/api-contract';
import { notFound } from '../common/domain-error';
import { hashSecretToken, newSecretToken } from '../common/secret-token';
import type { ApiKeyEntity } from '@sightline/database';
import { ApiKeyRepository } from './api-key.repository';

/** Keys look like `sl_<43 random chars>`; the prefix makes leaked keys easy to recognise and grep for. */
const KEY_PREFIX = 'sl_';
/** lastUsedAt is written at most this often per key. */
const MARK_USED_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(@Inject(ApiKeyRepository) private readonly keys: ApiKeyRepository) {}

  async create(orgId: string, userId: string, name: string): Promise<CreatedApiKey> {
    const key = KEY_PREFIX + newSecretToken();
    const entity = await this.keys.create({
      orgId,
      name,
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      keyHash: hashSecretToken(key),
      createdBy: userId,
    });
    return { ...toView(entity), key };
  }

  async list(orgId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listActive(orgId)).map(toView);
  }

  async revoke(orgId: string, id: string): Promise<void> {
    if (!(await this.keys.revoke(orgId, id))) throw notFound('API key');
  }

  /** The live key for a bearer token, or null. */
  async authenticate(bearer: string): Promise<ApiKeyEntity | null> {
    if (!bearer.startsWith(KEY_PREFIX) || bearer.length > 100) return null;
    const key = await this.keys.findActiveByHash(hashSecretToken(bearer));
    if (key && (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > MARK_USED_INTERVAL_MS)) {
      await this.keys.markUsed(key.id, new Date());
    }
    return key;
  }
}

function toView(k: ApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  };
}
