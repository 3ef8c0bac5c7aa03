'use client';

import { useState, type FormEvent } from 'react';
import { updateSiteBody, type SiteView } from '@sightline/api-contract';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { TimezoneSelect } from '@/components/timezone-select';
import { useUpdateSite } from './use-update-site';

export function GeneralSettings({ site, disabled }: { site: SiteView; disabled: boolean }) {
  const [name, setName] = useState(site.name);
  const [timezone, setTimezone] = useState(site.timezone);
  const [currency, setCurrency] = useState(site.currency);
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const update = useUpdateSite(site);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(updateSiteBody, { name, timezone, currency });
    if (body) update.mutate(body, { onError: showApiError });
  };

  return (
    <form className="card form" onSubmit={submit} noValidate>
      <h2>General</h2>
      <FormError message={formError} />
      {update.isSuccess ? <FormSuccess message="Saved." /> : null}
      <TextField label="Domain" value={site.domain} readOnly disabled hint="The domain cannot be changed." />
      <TextField
        label="Display name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.name}
        disabled={disabled}
      />
      <TimezoneSelect
        value={timezone}
        onChange={setTimezone}
        error={fieldErrors.timezone}
        disabled={disabled}
      />
      <TextField
        label="Revenue currency"
        value={currency}
        onChange={(e) => setCurrency(e.target.value.toUpperCase())}
        error={fieldErrors.currency}
        hint="ISO 4217 code (USD, EUR, GBP…). Revenue goals are summed in this currency; revenue sent in another currency is left out."
        maxLength={3}
        autoCapitalize="characters"
        spellCheck={false}
        disabled={disabled}
      />
      <div>
        <button type="submit" className="btn btn-primary" disabled={disabled || update.isPending}>
          {update.isPending ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
