import type { DataSource } from 'typeorm';
import { BillingMailEntity } from '@sightline/database';

/** The record of billing mails sent, one row per (org, key): what makes a rerun never mail twice. */
export interface BillingMailLedger {
  claimMail(orgId: string, key: string, kind: string): Promise<boolean>;
  releaseMail(orgId: string, key: string): Promise<void>;
}

/** Claims a mail's key; false when it was sent (or is being sent) already. */
export async function claimBillingMail(
  dataSource: DataSource,
  orgId: string,
  key: string,
  kind: string,
): Promise<boolean> {
  const inserted = await dataSource
    .createQueryBuilder()
    .insert()
    .into(BillingMailEntity)
    .values({ orgId, key, kind })
    .orIgnore()
    .returning('id')
    .execute();
  return (inserted.raw as unknown[]).length > 0;
}

/** Gives a claimed mail key back after the mail could not be sent, so the next run retries it. */
export async function releaseBillingMail(dataSource: DataSource, orgId: string, key: string): Promise<void> {
  await dataSource.manager.delete(BillingMailEntity, { orgId, key });
}

/**
 * Runs `send` once per key: the key is recorded first, and released again if sending fails.
 * False when the mail was sent already.
 */
export async function sendBillingMailOnce(
  ledger: BillingMailLedger,
  mail: { orgId: string; key: string; kind: string },
  send: () => Promise<void>,
): Promise<boolean> {
  if (!(await ledger.claimMail(mail.orgId, mail.key, mail.kind))) return false;
  try {
    await send();
    return true;
  } catch (err) {
    await ledger.releaseMail(mail.orgId, mail.key);
    throw err;
  }
}
