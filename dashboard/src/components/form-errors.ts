import type { ZodType } from 'zod';
import { isApiError, errorMessage } from '@/lib/api-client';

export type FieldErrors = Record<string, string>;

/** Validates with the shared contract schema; returns parsed data or per-field messages. */
export function validate<T>(
  schema: ZodType<T>,
  input: unknown,
): { data: T; errors: null } | { data: null; errors: FieldErrors } {
  const result = schema.safeParse(input);
  if (result.success) return { data: result.data, errors: null };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    errors[key] ??= capitalize(issue.message);
  }
  return { data: null, errors };
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Splits an API error into a field message (shown inline) or a form-level message. */
export function apiErrorToForm(error: unknown): { fieldErrors: FieldErrors; formError: string | null } {
  if (isApiError(error) && error.field) {
    return { fieldErrors: { [error.field]: capitalize(error.message) }, formError: null };
  }
  return { fieldErrors: {}, formError: errorMessage(error) };
}
