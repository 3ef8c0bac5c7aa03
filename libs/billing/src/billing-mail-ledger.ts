/** The record of billing mails sent, one row per (org, key): what makes a rerun never mail twice. */
export interface BillingMailLedger {
  claimMail(orgId: string, key: string, kind: string): Promise<boolean>;
  releaseMail(orgId: string, key: string): Promise<void>;
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
