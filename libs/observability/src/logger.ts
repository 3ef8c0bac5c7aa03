import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Request logs never carry IPs, user agents or URLs with query strings:
 * the redact list is the safety net for fields that could hold PII.
 */
export function createLogger(name: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    serializers: { err: safeError },
    redact: {
      paths: ['ip', 'userAgent', 'req.headers', 'req.remoteAddress', 'headers', 'password', 'token', 'email'],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Error fields that describe what failed without carrying the data it failed on. Everything else
 * is dropped: TypeORM's QueryFailedError carries the query's `parameters` (emails, token hashes),
 * Postgres' `detail` quotes the conflicting value ("Key (email)=(…) already exists"), SMTP errors
 * carry the envelope.
 */
const ERROR_FIELDS = [
  'type',
  'message',
  'stack',
  'code',
  'errno',
  'syscall',
  'responseCode',
  'constraint',
  'table',
  'routine',
];

export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err).slice(0, 200) };
  const full = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  const safe: Record<string, unknown> = {};
  for (const field of ERROR_FIELDS) if (full[field] !== undefined) safe[field] = full[field];
  return safe;
}
