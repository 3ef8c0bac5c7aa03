import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Request logs never carry IPs, user agents or URLs with query strings:
 * the redact list is the safety net for fields that could hold PII.
 */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: {
      paths: ['ip', 'userAgent', 'req.headers', 'req.remoteAddress', 'headers', 'password', 'token', 'email'],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
