import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('logs what an error is, not the data it failed on', () => {
    const { lines, stream } = capture();
    const logger = createLogger('test', 'info', stream);
    // What TypeORM and pg attach to a unique violation on sign-up.
    const err = Object.assign(new Error('duplicate key value violates unique constraint "UQ_users_email"'), {
      code: '23505',
      constraint: 'UQ_users_email',
      detail: 'Key (email)=(someone@example.com) already exists.',
      parameters: ['someone@example.com', '$argon2id$v=19$…'],
      query: 'INSERT INTO "users"("email", "password_hash") VALUES ($1, $2)',
    });
    logger.error({ err }, 'unhandled error');
    const line = lines.join('');
    expect(line).not.toContain('someone@example.com');
    expect(line).not.toContain('argon2id');
    const logged = JSON.parse(line) as { err: Record<string, unknown> };
    expect(logged.err).toMatchObject({ type: 'Error', code: '23505', constraint: 'UQ_users_email' });
    expect(logged.err.message).toContain('duplicate key value');
  });

  it('redacts PII-named fields', () => {
    const { lines, stream } = capture();
    createLogger('test', 'info', stream).info({ email: 'someone@example.com', ip: '203.0.113.9' }, 'x');
    expect(lines.join('')).not.toMatch(/someone@example\.com|203\.0\.113\.9/);
  });
});
