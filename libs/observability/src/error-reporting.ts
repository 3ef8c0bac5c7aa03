import type { NodeClient, NodeOptions } from '@sentry/node';

type SentryEvent = Parameters<NonNullable<NodeOptions['beforeSend']>>[0];

let client: NodeClient | undefined;

/**
 * Errors go to Sentry only when a DSN is configured, and never carry PII: no IPs, headers,
 * cookies, request bodies, query strings or users. The SDK is loaded only then (it is large), and
 * only the error-path integrations are installed (no tracing or HTTP instrumentation).
 */
export function initErrorReporting(dsn: string | undefined, app: string): boolean {
  if (!dsn) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const Sentry = require('@sentry/node') as typeof import('@sentry/node');
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
  await client?.flush(timeoutMs);
}

export function scrubEvent<T extends SentryEvent>(event: T): T {
  delete event.user;
  delete event.breadcrumbs;
  if (event.request) event.request = { method: event.request.method, url: event.request.url?.split('?')[0] };
  return event;
}
