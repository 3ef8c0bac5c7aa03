import { useCallback, useState } from 'react';
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

/**
 * A form's error state: `check` validates the input with the contract schema before sending (old
 * messages cleared, new ones shown, the parsed body or null returned); `showApiError` is the
 * mutation's `onError`, putting the server's answer on its field or above the form.
 */
export function useFormErrors() {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const check = useCallback(<T>(schema: ZodType<T>, input: unknown): T | null => {
    setFormError(null);
    const result = validate(schema, input);
    setFieldErrors(result.errors ?? {});
    return result.data;
  }, []);
  const showApiError = useCallback((error: unknown) => {
    const mapped = apiErrorToForm(error);
    setFieldErrors(mapped.fieldErrors);
    setFormError(mapped.formError);
  }, []);
  return { fieldErrors, formError, setFieldErrors, setFormError, check, showApiError };
}
