import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { QueryValidationError } from '@sightline/query';
import { reportError } from '@sightline/observability';
import { isClickHouseUnreachable } from '@sightline/clickhouse';
import type { ApiErrorBody } from '@sightline/api-contract';
import { DomainError } from './domain-error';

/**
 * The one place errors become responses. Domain and validation errors keep their message; anything
 * else is logged and reported (without request data) and answered with a masked 500.
 */
const ANALYTICS_RETRY_AFTER_SECONDS = 10;

@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body, retryAfter } = this.toResponse(exception);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    if (!res.headersSent) res.status(status).json(body);
  }

  private toResponse(exception: unknown): { status: number; body: ApiErrorBody; retryAfter?: number } {
    if (exception instanceof DomainError) {
      const retryAfter = (exception as DomainError & { retryAfterSeconds?: number }).retryAfterSeconds;
      return {
        status: exception.status,
        body: { error: { code: exception.code, message: exception.message, field: exception.field } },
        retryAfter,
      };
    }
    if (exception instanceof QueryValidationError) {
      return {
        status: 400,
        body: { error: { code: 'invalid_query', message: exception.message, field: exception.field } },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Framework errors: unknown route (404), malformed JSON (400), body too large (413).
      const code =
        status === 404
          ? 'not_found'
          : status === 413
            ? 'payload_too_large'
            : status === 400
              ? 'bad_request'
              : 'error';
      const message = status >= 500 ? 'Internal server error' : exception.message;
      return { status, body: { error: { code, message } } };
    }
    if (isClickHouseUnreachable(exception)) {
      // An outage, not a bug: accounts and settings keep working, stats ask the client to retry.
      this.logger.warn({ err: exception }, 'clickhouse unreachable');
      return {
        status: 503,
        body: {
          error: {
            code: 'analytics_unavailable',
            message: 'Statistics are temporarily unavailable; please try again shortly',
          },
        },
        retryAfter: ANALYTICS_RETRY_AFTER_SECONDS,
      };
    }
    this.logger.error({ err: exception }, 'unhandled error');
    reportError(exception);
    return { status: 500, body: { error: { code: 'internal_error', message: 'Internal server error' } } };
  }
}
