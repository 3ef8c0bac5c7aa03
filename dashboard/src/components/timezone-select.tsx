'use client';

import { useId, useMemo } from 'react';
import { useMounted } from '@/lib/use-mounted';

export function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function allTimezones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/** IANA timezone select; the list comes from the browser, so it renders after hydration. */
export function TimezoneSelect({
  value,
  onChange,
  error,
  disabled = false,
}: {
  value: string;
  onChange: (tz: string) => void;
  error?: string | undefined;
  disabled?: boolean;
}) {
  const id = useId();
  const mounted = useMounted();
  const zones = useMemo(() => {
    if (!mounted) return [value];
    const list = allTimezones();
    return list.includes(value) ? list : [value, ...list];
  }, [mounted, value]);

  return (
    <div className="field">
      <label className="label" htmlFor={id}>
        Timezone
      </label>
      <select
        id={id}
        className="select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
      >
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="hint">
        Days and hours in reports follow this timezone.
      </span>
      {error ? <span className="field-error">{error}</span> : null}
    </div>
  );
}
