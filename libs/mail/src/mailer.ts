import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail over SMTP (`SMTP_URL`). Without it (development), each message is written to
 * `MAIL_DIR` as a .eml file and its subject logged, so links can be followed locally.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly opts: { smtpUrl?: string; from: string; mailDir: string },
    private readonly logger: Logger,
  ) {
    this.transport = opts.smtpUrl ? createTransport(opts.smtpUrl) : undefined;
  }

  async send(message: MailMessage): Promise<void> {
    if (this.transport) {
      await this.transport.sendMail({ from: this.opts.from, ...message });
      return;
    }
    await mkdir(this.opts.mailDir, { recursive: true });
    const file = join(
      this.opts.mailDir,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomSuffix()}.eml`,
    );
    const eml = `From: ${this.opts.from}\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`;
    await writeFile(file, eml);
    // The recipient address is PII; the file has it, the log only has the subject and file.
    this.logger.info({ file, subject: message.subject }, 'mail written (no SMTP_URL set)');
  }

  close(): void {
    this.transport?.close();
  }
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}
