import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eventually } from './test-context';

export interface CaughtMail {
  to: string[];
  raw: string;
  subject: string;
  /** The body after the headers, with quoted-printable soft line breaks undone. */
  text: string;
}

/** A real SMTP server in the test process; the API under test sends to it through `SMTP_URL`. */
export class MailCatcher {
  readonly mails: CaughtMail[] = [];
  private server: SMTPServer | undefined;
  private port = 0;

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            subject: decodeSubject(/^Subject: (.*)$/m.exec(raw)?.[1] ?? ''),
            text: raw
              .split(/\r?\n\r?\n/)
              .slice(1)
              .join('\n\n')
              .replace(/=\r?\n/g, '')
              .replace(/=3D/g, '='),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits for a mail to `to` whose subject matches, and returns it. */
  async waitFor(to: string, subject: RegExp): Promise<CaughtMail> {
    return eventually(async () => this.mails.find((m) => m.to.includes(to) && subject.test(m.subject)), {
      what: `mail to ${to} matching ${subject}`,
    });
  }

  /** The `token` query parameter of the first link in a mail. */
  static tokenFrom(mail: CaughtMail): string {
    const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
    if (!link) throw new Error(`no link in mail "${mail.subject}"`);
    const url = new URL(link);
    return url.searchParams.get('token') ?? url.pathname.split('/').pop() ?? '';
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function decodeSubject(subject: string): string {
  // nodemailer may encode non-ASCII subjects as =?UTF-8?Q?...?=; ours are ASCII.
  return subject.trim();
}
