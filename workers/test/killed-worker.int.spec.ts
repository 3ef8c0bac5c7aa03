import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContext, eventually } from '@sightline/testing';
import { spawnWorkers, type WorkersProcess } from './workers-harness';

/**
 * A worker is SIGKILLed while its email-reports job waits for the SMTP server to accept a report;
 * another replica takes the job over when the lock expires and the member still gets one mail.
 */
describe('a killed worker', () => {
  const ctx = new TestContext();
  const accepted: { to: string[] }[] = [];
  let holding = 0;
  let smtp: SMTPServer;
  let smtpUrl = '';
  const started: WorkersProcess[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on('end', () => {
          // The first message is never acknowledged: its sender is killed while it waits.
          if (holding++ === 0) return;
          accepted.push({ to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await ctx.close();
  });

  it('has its job retried by another replica, and the report is still sent once', async () => {
    const email = `killed-${randomBytes(4).toString('hex')}@example.test`;
    const user = await ctx.pool.query<{ id: string }>(
      "INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id",
      [email],
    );
    const site = await ctx.newSite();
    await ctx.pool.query("INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'owner')", [
      site.orgId,
      user.rows[0]?.id,
    ]);
    await ctx.pool.query(
      "INSERT INTO report_subscriptions (site_id, user_id, weekly_since) VALUES ($1, $2, '2020-01-01')",
      [site.id, user.rows[0]?.id],
    );
    // Email reports are a Basic feature (the job skips orgs whose plan lacks them).
    await ctx.pool.query(
      "INSERT INTO billing_profiles (org_id, plan_code, subscription_status) VALUES ($1, 'basic', 'active')",
      [site.orgId],
    );
    // Earlier test files' subscriptions were all sent already; only this member's report is due.
    const env = {
      WORKERS_QUEUE: `test-jobs-${randomBytes(4).toString('hex')}`,
      SMTP_URL: smtpUrl,
      JOB_EVERY_MS_EMAIL_REPORTS: '3600000',
      WORKERS_LOCK_MS: '2000',
      WORKERS_STALLED_CHECK_MS: '1000',
    };
    const first = spawnWorkers(env);
    started.push(first);
    await first.ready;
    await eventually(async () => holding > 0, { timeoutMs: 30_000, what: 'the first worker to be sending' });
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(accepted.filter((m) => m.to.includes(email))).toHaveLength(0);

    const second = spawnWorkers(env);
    started.push(second);
    await second.ready;
    await eventually(async () => accepted.some((m) => m.to.includes(email)), {
      timeoutMs: 45_000,
      what: 'the report to be sent by the second worker',
    });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(accepted.filter((m) => m.to.includes(email))).toHaveLength(1);
    const rows = await ctx.pool.query('SELECT count(*) AS c FROM report_deliveries WHERE site_id = $1', [
      site.id,
    ]);
    expect(Number(rows.rows[0]?.c)).toBe(1);
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
