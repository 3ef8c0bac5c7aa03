import * as Sentry from '@sentry/node';

type SentryEvent = Parameters<NonNullable<Sentry.NodeOptions['beforeSend']>>[0];

/**
 * Errors go to Sentry only when a DSN is configured, and never carry PII: no IPs, headers,
 * cookies, request bodies, query strings or users. Only the error-path integrations are loaded
 * (no tracing or HTTP instrumentation on the ingest hot path).
 */
let client: Sentry.NodeClient | undefined;

export function initErrorReporting(dsn: string | undefined, app: string): boolean {
  if (!dsn) return false;
  client = Sentry.initWithoutDefaultIntegrations({
    dsn,
    serverName: app,
    integrations: [
      Sentry.linkedErrorsIntegration(),
      Sentry.onUncaughtExceptionIntegration(),
      Sentry.onUnhandledRejectionIntegration(),
    ],
    beforeSend: scrubEvent,
    beforeBreadcrumb: () => null,
  });
  return client !== undefined;
}

/** A no-op until `initErrorReporting` ran with a DSN. */
export function reportError(error: unknown): void {
  client?.captureException(error);
}

export async function flushErrorReports(timeoutMs = 2000): Promise<void> {
  await Sentry.flush(timeoutMs);
}

export function scrubEvent<T extends SentryEvent>(event: T): T {
  delete event.user;
  delete event.breadcrumbs;
  if (event.request) event.request = { method: event.request.method, url: event.request.url?.split('?')[0] };
  return event;
}
