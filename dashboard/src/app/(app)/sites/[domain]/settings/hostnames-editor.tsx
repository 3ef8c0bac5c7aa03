'use client';

import { useState, type FormEvent } from 'react';
import { allowedHostnamesSchema, type SiteView } from '@sightline/api-contract';
import { FormError, FormSuccess, TextField } from '@/components/field';
import { apiErrorToForm, validate } from '@/components/form-errors';
import { useUpdateSite } from './use-update-site';

/**
 * Hostnames allowed to send events for this site. Empty accepts every host; a non-empty list is all
 * the receiver accepts (ingest's `isHostnameAllowed`), so the site's own domain must be in it too.
 */
export function HostnamesEditor({ site, disabled }: { site: SiteView; disabled: boolean }) {
  const [hostnames, setHostnames] = useState<string[]>(site.allowedHostnames);
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const update = useUpdateSite(site);
  const dirty = hostnames.join('\n') !== site.allowedHostnames.join('\n');
  const ownDomainRefused = hostnames.length > 0 && !hostnames.some((h) => sameHost(h, site.domain));

  const add = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(allowedHostnamesSchema, [draft]);
    if (result.errors) {
      setDraftError(Object.values(result.errors)[0]);
      return;
    }
    const [value] = result.data;
    if (!value) return;
    if (hostnames.includes(value)) {
      setDraftError('Already in the list');
      return;
    }
    setHostnames([...hostnames, value]);
    setDraft('');
    setDraftError(undefined);
  };

  const save = () => {
    setFormError(null);
    update.mutate(
      { allowedHostnames: hostnames },
      {
        onSuccess: (updated) => setHostnames(updated.allowedHostnames),
        onError: (error) => {
          const mapped = apiErrorToForm(error);
          setFormError(mapped.formError ?? Object.values(mapped.fieldErrors)[0] ?? null);
        },
      },
    );
  };

  return (
    <section className="card stack">
      <div className="stack-sm">
        <h2>Allowed hostnames</h2>
        <p className="muted small">
          Events are accepted only from these hosts. Use <code>*.example.com</code> for all subdomains. While
          the list is empty, events from any host are accepted.
        </p>
      </div>
      <FormError message={formError} />
      {ownDomainRefused ? (
        <p className="notice notice-warn">
          <strong>{site.domain}</strong> is not in the list, so visits to it are not counted. Add it unless
          you only want the hosts below.
        </p>
      ) : null}
      {update.isSuccess && !dirty ? <FormSuccess message="Saved." /> : null}
      {hostnames.length === 0 ? (
        <p className="muted small">No hostnames yet.</p>
      ) : (
        <ul className="stack-sm" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {hostnames.map((host) => (
            <li key={host} className="list-editor-item">
              <span className="spacer">{host}</span>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => setHostnames(hostnames.filter((h) => h !== host))}
                disabled={disabled}
                aria-label={`Remove ${host}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {disabled ? null : (
        <form className="form-row" onSubmit={add} noValidate>
          <TextField
            label="Add hostname"
            placeholder="app.example.com"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            error={draftError}
            autoCapitalize="off"
            spellCheck={false}
          />
          <button type="submit" className="btn" style={{ marginBottom: draftError ? 26 : 0 }}>
            Add
          </button>
        </form>
      )}
      <div className="row">
        <button
          type="button"
          className="btn btn-primary"
          onClick={save}
          disabled={disabled || !dirty || update.isPending}
        >
          {update.isPending ? 'Saving…' : 'Save hostnames'}
        </button>
        {dirty ? (
          <button type="button" className="btn btn-ghost" onClick={() => setHostnames(site.allowedHostnames)}>
            Discard changes
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** The receiver treats `www.` as the same host. */
function sameHost(a: string, b: string): boolean {
  const strip = (host: string) => (host.startsWith('www.') ? host.slice(4) : host);
  return strip(a) === strip(b);
}
