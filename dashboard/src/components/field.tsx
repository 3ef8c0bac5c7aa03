import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

/** A labelled input whose error is announced and tied to it with aria-describedby. */
export function TextField({ label, error, hint, ...input }: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

type FixedFieldProps = Omit<TextFieldProps, 'label' | 'type' | 'name' | 'autoComplete'>;

/** The account's email address (log-in and sign-up forms). */
export function EmailField(props: FixedFieldProps) {
  return <TextField label="Email" type="email" name="email" autoComplete="email" required {...props} />;
}

/** The account's password: `current` to log in, `new` to choose one (password managers offer to generate). */
export function PasswordField({ purpose, ...props }: FixedFieldProps & { purpose: 'current' | 'new' }) {
  return (
    <TextField
      label="Password"
      type="password"
      name="password"
      autoComplete={`${purpose}-password`}
      required
      {...props}
    />
  );
}

export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="notice notice-error" role="alert">
      {message}
    </div>
  );
}

export function FormSuccess({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="notice notice-success" role="status">
      {message}
    </div>
  );
}
