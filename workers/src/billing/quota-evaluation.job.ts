import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { WorkersConfig } from '@sightline/config';
import { billingMailTemplates, type Mailer, type MailMessage } from '@sightline/mail';
import {
  CAPACITY_TTL_SECONDS,
  capacityKey,
  effectivePlan,
  evaluateQuota,
  ingestionRefusedFrom,
  type CapacityDecision,
  type QuotaMail,
} from '@sightline/plans';
import { MINUTE, type JobContext, type JobResult, type ScheduledJob } from '../jobs/scheduled-job';
import { LOGGER, MAILER, REDIS, WORKERS_CONFIG } from '../jobs/tokens';
import { sendBillingMailOnce } from '@sightline/billing';
import { QuotaRepository, type OrgForQuota } from './quota.repository';

const DAY = 86_400_000;

/**
 * quota-evaluation: after metering, runs the quota state machine (libs/plans) for every org,
 * writes the new state, sends its mails (each claimed in billing_mails first, so a rerun never
 * resends), warns unpaid orgs 7 days and 1 day before their events are refused, and rewrites every
 * site's capacity decision for the ingest (Redis, 15 min). Idempotent.
 */
@Injectable()
export class QuotaEvaluationJob implements ScheduledJob {
  readonly name = 'quota-evaluation';
  readonly description =
    'Quota state machine (80/100 % mails, grace, lock, unlock) and ingest capacity decisions';
  readonly schedule = { every: 5 * MINUTE };
  readonly periodMs = 5 * MINUTE;
  readonly timeoutMs = 4 * MINUTE;
  readonly attempts = 3;

  constructor(
    @Inject(QuotaRepository) private readonly quotas: QuotaRepository,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(WORKERS_CONFIG) private readonly config: WorkersConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(ctx: JobContext, now = new Date()): Promise<JobResult> {
    let changed = 0;
    let mails = 0;
    let refusing = 0;
    for (const orgId of await this.quotas.orgIds()) {
      if (ctx.signal.aborted) throw new Error('aborted');
      const org = await this.quotas.load(orgId);
      if (!org) continue;
      const result = await this.evaluate(org, now);
      changed += result.changed ? 1 : 0;
      mails += result.mails;
      refusing += result.decision.accept ? 0 : 1;
    }
    return { changed, mails, refusing };
  }

  /** One org: state machine, mails, capacity decision. */
  async evaluate(
    org: OrgForQuota,
    now: Date,
  ): Promise<{ changed: boolean; mails: number; decision: CapacityDecision }> {
    const plan = effectivePlan(org.standing, now);
    const current = org.cycles.find((c) => c.start <= now && now < c.end) ?? null;
    const closed = org.cycles.filter((c) => c.end <= now);
    const decision = evaluateQuota({
      now,
      quota: plan.monthlyEventQuota,
      current,
      closed,
      state: org.state,
      sentMailKeys: org.sentMailKeys,
    });
    if (decision.changed) await this.quotas.writeQuotaState(org.orgId, decision.next);
    let sent = 0;
    for (const mail of decision.mails)
      if (await this.send(org, mail.key, mail.kind, (to) => this.render(to, org, mail))) sent++;

    // Non-payment: warn 7 days and 1 day before events are refused.
    const refusedFrom = ingestionRefusedFrom(org.standing);
    if (refusedFrom) {
      for (const days of [7, 1]) {
        const warnAt = refusedFrom.getTime() - days * DAY;
        if (now.getTime() >= warnAt && now.getTime() < refusedFrom.getTime()) {
          const key = `ingestion-stops-${days}d:${refusedFrom.toISOString()}`;
          if (!org.sentMailKeys.has(key))
            if (
              await this.send(org, key, 'ingestion_stopping', (to) =>
                billingMailTemplates.ingestionStopping(to, {
                  orgName: org.name,
                  stopsAt: refusedFrom,
                  link: this.link(org.orgId),
                }),
              )
            )
              sent++;
        }
      }
    }
    const capacity: CapacityDecision = {
      accept: !(refusedFrom && now.getTime() >= refusedFrom.getTime()),
      orgId: org.orgId,
      reason: refusedFrom && now.getTime() >= refusedFrom.getTime() ? 'unpaid' : null,
    };
    await this.writeCapacity(org.orgId, capacity);
    if (decision.changed)
      this.logger.info(
        { org: org.orgId, from: org.state.state, to: decision.next.state },
        'quota state changed',
      );
    return { changed: decision.changed, mails: sent, decision: capacity };
  }

  private async writeCapacity(orgId: string, decision: CapacityDecision): Promise<void> {
    const siteIds = await this.quotas.siteIds(orgId);
    if (siteIds.length === 0) return;
    const multi = this.redis.multi();
    for (const id of siteIds)
      multi.set(capacityKey(id), JSON.stringify(decision), 'EX', CAPACITY_TTL_SECONDS);
    await multi.exec();
  }

  private link(orgId: string): string {
    return `${this.config.PUBLIC_APP_URL}/orgs/${orgId}/billing`;
  }

  private render(to: string, org: OrgForQuota, mail: QuotaMail): MailMessage {
    const orgName = org.name;
    const link = this.link(org.orgId);
    switch (mail.kind) {
      case 'usage_80':
      case 'usage_100':
        return billingMailTemplates.usageWarning(to, {
          orgName,
          percent: mail.percent,
          events: mail.events,
          quota: mail.quota,
          cycleEnd: mail.cycleEnd,
          link,
        });
      case 'quota_exceeded':
        return billingMailTemplates.quotaExceeded(to, {
          orgName,
          reason: mail.reason,
          cycles: mail.cycles.map((c) => ({ start: c.start, events: c.events })),
          quota: mail.quota,
          suggestedPlan: mail.suggestedPlan,
          locksAt: mail.locksAt,
          link,
        });
      case 'grace_reminder':
        return billingMailTemplates.graceReminder(to, {
          orgName,
          locksAt: mail.locksAt,
          suggestedPlan: mail.suggestedPlan,
          link,
        });
      case 'capacity_depleted':
        return billingMailTemplates.capacityDepleted(to, {
          orgName,
          suggestedPlan: mail.suggestedPlan,
          link,
        });
    }
  }

  private async send(
    org: OrgForQuota,
    key: string,
    kind: string,
    build: (to: string) => MailMessage,
  ): Promise<boolean> {
    return sendBillingMailOnce(this.quotas, { orgId: org.orgId, key, kind }, async () => {
      for (const to of await this.quotas.ownerEmails(org.orgId)) await this.mailer.send(build(to));
    });
  }
}
