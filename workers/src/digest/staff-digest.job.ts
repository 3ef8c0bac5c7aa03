import { Inject, Injectable } from '@nestjs/common';
import type { WorkersConfig } from '@sightline/config';
import type { Mailer } from '@sightline/mail';
import { DAY, MINUTE, type JobContext, type JobResult, type ScheduledJob } from '../jobs/scheduled-job';
import { MAILER, WORKERS_CONFIG } from '../jobs/tokens';
import { StaffDigestRepository, type DigestFigures } from './staff-digest.repository';

export function renderDigest(day: string, f: DigestFigures): { subject: string; text: string } {
  const failed = f.failedJobs.length
    ? f.failedJobs.map((j) => `  - ${j.name}: ${j.failedReason}`).join('\n')
    : '  none';
  return {
    subject: `Sightline staff digest for ${day}`,
    text: [
      `The last 24 hours (until ${day} 06:00 UTC):`,
      '',
      `Sign-ups:                ${f.signUps}`,
      `New sites:               ${f.newSites}`,
      `Events ingested:         ${f.eventsIngested}`,
      `Dead-lettered events:    ${f.deadLettered} (in the dead-letter stream now)`,
      `Failed jobs:             ${f.failedJobs.length}`,
      failed,
      '',
      'Orgs near or over quota: (reported once billing exists)',
    ].join('\n'),
  };
}

/**
 * staff-digest (daily, 06:00 UTC): one mail to each STAFF_EMAILS address with the last 24 hours'
 * sign-ups, new sites, ingested and dead-lettered events and failed jobs. Sent once per day (a
 * Redis marker claimed before sending, released again if sending fails so the retry sends it).
 */
@Injectable()
export class StaffDigestJob implements ScheduledJob {
  readonly name = 'staff-digest';
  readonly description = 'Daily numbers mailed to STAFF_EMAILS';
  readonly schedule = { pattern: '0 6 * * *' };
  readonly periodMs = DAY;
  readonly timeoutMs = 10 * MINUTE;
  readonly attempts = 5;

  constructor(
    @Inject(StaffDigestRepository) private readonly digest: StaffDigestRepository,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(WORKERS_CONFIG) private readonly config: WorkersConfig,
  ) {}

  async run(_ctx: JobContext, now = new Date()): Promise<JobResult> {
    if (this.config.STAFF_EMAILS.length === 0) return { sent: 0, skipped: 'no STAFF_EMAILS configured' };
    const day = now.toISOString().slice(0, 10);
    if (!(await this.digest.claimDay(day))) return { sent: 0, skipped: `already sent for ${day}` };
    try {
      const figures = await this.digest.figures(new Date(now.getTime() - DAY), now);
      const mail = renderDigest(day, figures);
      for (const to of this.config.STAFF_EMAILS) await this.mailer.send({ to, ...mail });
      return {
        sent: this.config.STAFF_EMAILS.length,
        signUps: figures.signUps,
        newSites: figures.newSites,
        eventsIngested: figures.eventsIngested,
        deadLettered: figures.deadLettered,
        failedJobs: figures.failedJobs.length,
      };
    } catch (err) {
      await this.digest.releaseDay(day);
      throw err;
    }
  }
}
