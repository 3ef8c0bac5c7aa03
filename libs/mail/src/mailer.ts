import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Referenced from the HTML part as `cid:<cid>` (inline image). */
  cid?: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Optional HTML alternative to `text`. */
  html?: string;
  attachments?: MailAttachment[];
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

/**
 * Sends mail over SMTP (`SMTP_URL`). Without it (development), each message is composed as a real
 * MIME message (text, HTML, inline images) and written to `MAIL_DIR` as a .eml file that mail
 * programs open, and its subject is logged, so links can be followed locally.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;
  private readonly composer: Transporter;

  constructor(
    private readonly opts: { smtpUrl?: string; from: string; mailDir: string },
    private readonly logger: Logger,
  ) {
    this.transport = opts.smtpUrl ? createTransport(opts.smtpUrl) : undefined;
    this.composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /** Resolves once the SMTP server accepted the message (or the .eml file is written). */
  async send(message: MailMessage): Promise<void> {
    const mail = { from: this.opts.from, ...message };
    if (this.transport) {
      await this.transport.sendMail(mail);
      return;
    }
    const composed = (await this.composer.sendMail(mail)) as { message: Buffer };
    await mkdir(this.opts.mailDir, { recursive: true });
    const file = join(
      this.opts.mailDir,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomSuffix()}.eml`,
    );
    await writeFile(file, composed.message);
    // The recipient address is PII; the file has it, the log only has the subject and file.
    this.logger.info({ file, subject: message.subject }, 'mail written (no SMTP_URL set)');
  }

  close(): void {
    this.transport?.close();
    this.composer.close();
  }
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}
