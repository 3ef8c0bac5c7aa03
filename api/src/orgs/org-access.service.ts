import { Inject, Injectable } from '@nestjs/common';
import type { OrgRole } from '@sightline/api-contract';
import { forbidden, notFound } from '../common/domain-error';
import type { Principal } from '../common/principal';
import { OrgRepository } from './org.repository';

export const ANY_ROLE: readonly OrgRole[] = ['owner', 'admin', 'viewer'];
export const MANAGERS: readonly OrgRole[] = ['owner', 'admin'];

/**
 * The membership check behind every org- and site-scoped route. Non-members get 404 (an org they
 * cannot see does not exist for them); members without the role get 403.
 */
@Injectable()
export class OrgAccessService {
  constructor(@Inject(OrgRepository) private readonly orgs: OrgRepository) {}

  async requireRole(principal: Principal, orgId: string, roles: readonly OrgRole[]): Promise<OrgRole> {
    if (!isUuid(orgId)) throw notFound('Org');
    if (principal.kind === 'api-key') {
      // API keys read stats of their own org and nothing else.
      if (principal.orgId !== orgId) throw notFound('Org');
      if (roles.includes('viewer')) return 'viewer';
      throw forbidden('API keys can only read stats');
    }
    const membership = await this.orgs.findMembership(orgId, principal.userId);
    if (!membership) throw notFound('Org');
    if (!roles.includes(membership.role))
      throw forbidden(`This needs the ${roles.join(' or ')} role in the org`);
    return membership.role;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
