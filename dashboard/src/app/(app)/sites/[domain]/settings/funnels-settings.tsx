'use client';

import { useId, useState, type FormEvent } from 'react';
import { funnelBody, type FunnelStepBody, type FunnelView } from '@sightline/api-contract';
import { useConfirm } from '@/components/confirm-dialog';
import { FormError, TextField } from '@/components/field';
import { useFormErrors } from '@/components/form-errors';
import { ErrorState, LoadingState } from '@/components/states';
import { usePlanFeature } from '@/components/plan-feature';
import { useDeleteFunnel, useFunnelsQuery, useSaveFunnel } from '@/lib/queries/funnels';

const MAX_STEPS = 8;
const MIN_STEPS = 2;

function stepLabel(step: FunnelStepBody): string {
  return step.kind === 'page' ? `Visit ${step.pattern}` : step.name;
}

/** The site's funnels: a list, and an editor to add, remove and reorder steps. */
export function FunnelsSettings({
  domain,
  orgId,
  canManage: canManageSite,
}: {
  domain: string;
  orgId: string;
  canManage: boolean;
}) {
  const funnels = useFunnelsQuery(domain);
  // Not in the plan: no new or edited funnels; stored ones stay listed and deletable.
  const gate = usePlanFeature(orgId, 'funnels');
  const canEdit = canManageSite && gate.included !== false;
  const remove = useDeleteFunnel(domain);
  const { confirm, dialog } = useConfirm();
  // null: no editor open; 'new': a new funnel; otherwise the funnel being edited.
  const [editing, setEditing] = useState<FunnelView | 'new' | null>(null);

  return (
    <section className="card stack" id="funnels" aria-labelledby="funnels-settings-title">
      <div className="stack-sm">
        <h2 id="funnels-settings-title">Funnels</h2>
        <p className="muted small">
          2 to 8 steps in order: a page (<code>/pricing</code>; <code>*</code> matches one path segment,{' '}
          <code>**</code> any depth) or a custom event such as <code>Signup</code>. A visitor counts at a step
          when they did every step before it, in order, within 24 hours.
        </p>
      </div>
      {dialog}
      {gate.note}
      <FormError message={remove.error?.message} />
      {funnels.isPending ? (
        <LoadingState rows={2} />
      ) : funnels.isError ? (
        <ErrorState error={funnels.error} onRetry={() => void funnels.refetch()} />
      ) : funnels.data.length === 0 && editing === null ? (
        gate.included === false ? null : (
          <p className="muted small">No funnels yet.</p>
        )
      ) : (
        <ul className="stack-sm" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {funnels.data.map((f) => (
            <li key={f.id} className="list-editor-item" data-testid="funnel-item">
              <span className="spacer" style={{ minWidth: 0 }}>
                <strong>{f.name}</strong>
                <span className="small muted" style={{ display: 'block', wordBreak: 'break-all' }}>
                  {f.steps.map(stepLabel).join(' → ')}
                </span>
              </span>
              {canManageSite ? (
                <>
                  {canEdit ? (
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      onClick={() => setEditing(f)}
                      aria-label={`Edit ${f.name}`}
                    >
                      Edit
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    aria-label={`Delete ${f.name}`}
                    onClick={() =>
                      confirm({
                        title: `Delete the funnel “${f.name}”?`,
                        message: 'Its definition is removed; your stats are not affected.',
                        confirmLabel: 'Delete funnel',
                        danger: true,
                        onConfirm: () => remove.mutate(f.id),
                      })
                    }
                  >
                    Delete
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit && editing !== null ? (
        <FunnelEditor
          key={editing === 'new' ? 'new' : editing.id}
          domain={domain}
          funnel={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {canEdit && editing === null ? (
        <div className="row">
          <button type="button" className="btn" onClick={() => setEditing('new')}>
            New funnel
          </button>
        </div>
      ) : null}
    </section>
  );
}

const EMPTY_STEPS: FunnelStepBody[] = [
  { kind: 'page', pattern: '/' },
  { kind: 'event', name: '' },
];

function FunnelEditor({
  domain,
  funnel,
  onDone,
}: {
  domain: string;
  funnel: FunnelView | null;
  onDone: () => void;
}) {
  const [name, setName] = useState(funnel?.name ?? '');
  const [steps, setSteps] = useState<FunnelStepBody[]>(funnel?.steps ?? EMPTY_STEPS);
  const save = useSaveFunnel(domain);
  const { fieldErrors, formError, check, showApiError } = useFormErrors();
  const headingId = useId();

  const setStep = (index: number, step: FunnelStepBody) =>
    setSteps(steps.map((s, i) => (i === index ? step : s)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...steps];
    const [step] = next.splice(index, 1);
    if (!step) return;
    next.splice(index + by, 0, step);
    setSteps(next);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = check(funnelBody, { name, steps });
    if (!body) return;
    save.mutate({ id: funnel?.id ?? null, body }, { onSuccess: onDone, onError: showApiError });
  };

  /** Errors arrive as `steps[1].pattern` (API) or `steps.1.pattern` (the form's own check). */
  const stepError = (i: number): string | undefined =>
    withoutField(
      fieldErrors[`steps[${i}].pattern`] ??
        fieldErrors[`steps[${i}].name`] ??
        fieldErrors[`steps[${i}].kind`] ??
        fieldErrors[`steps[${i}]`] ??
        fieldErrors[`steps.${i}.pattern`] ??
        fieldErrors[`steps.${i}.name`],
    );

  return (
    <form
      className="stack"
      onSubmit={submit}
      noValidate
      aria-labelledby={headingId}
      style={{ borderTop: '1px solid var(--border)', paddingTop: 16 }}
    >
      <h3 id={headingId} style={{ margin: 0, fontSize: '1rem' }}>
        {funnel ? `Edit “${funnel.name}”` : 'New funnel'}
      </h3>
      <FormError message={formError ?? fieldErrors.steps ?? fieldErrors.body} />
      <TextField
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.name}
        placeholder="Signup flow"
        maxLength={100}
      />
      <ol className="stack-sm" style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
        {steps.map((step, i) => (
          <FunnelStepRow
            key={i}
            index={i}
            step={step}
            count={steps.length}
            error={stepError(i)}
            onChange={(s) => setStep(i, s)}
            onMove={(by) => move(i, by)}
            onRemove={() => setSteps(steps.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <button
          type="button"
          className="btn btn-sm"
          disabled={steps.length >= MAX_STEPS}
          onClick={() => setSteps([...steps, { kind: 'page', pattern: '' }])}
        >
          Add step
        </button>
        <span className="small muted">
          {steps.length} of {MAX_STEPS} steps
        </span>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : funnel ? 'Save funnel' : 'Create funnel'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The API's messages start with the field (`Steps[1].pattern: must …`); next to the input it is noise. */
function withoutField(message: string | undefined): string | undefined {
  if (!message) return message;
  const rest = message.replace(/^steps[^:]*:\s*/i, '');
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

function FunnelStepRow({
  index,
  step,
  count,
  error,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  step: FunnelStepBody;
  count: number;
  error: string | undefined;
  onChange: (step: FunnelStepBody) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const n = index + 1;
  const value = step.kind === 'page' ? step.pattern : step.name;
  return (
    <li className="stack-sm" data-testid="funnel-step-editor">
      <div className="row" style={{ flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <span className="small muted" style={{ width: 20, paddingBottom: 8 }} aria-hidden="true">
          {n}.
        </span>
        <div className="field">
          <label className="label" htmlFor={`${id}-kind`}>
            Step {n} type
          </label>
          <select
            id={`${id}-kind`}
            className="select"
            value={step.kind}
            onChange={(e) =>
              onChange(
                e.target.value === 'page' ? { kind: 'page', pattern: value } : { kind: 'event', name: value },
              )
            }
          >
            <option value="page">Page visit</option>
            <option value="event">Custom event</option>
          </select>
        </div>
        <div className="field" style={{ flex: '1 1 180px' }}>
          <label className="label" htmlFor={`${id}-value`}>
            {step.kind === 'page' ? `Step ${n} page path` : `Step ${n} event name`}
          </label>
          <input
            id={`${id}-value`}
            className="input"
            value={value}
            placeholder={step.kind === 'page' ? '/pricing or /blog/**' : 'Signup'}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            autoCapitalize="off"
            spellCheck={false}
            onChange={(e) =>
              onChange(
                step.kind === 'page'
                  ? { kind: 'page', pattern: e.target.value }
                  : { kind: 'event', name: e.target.value },
              )
            }
          />
        </div>
        <div className="row" style={{ gap: 4 }}>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={index === 0}
            onClick={() => onMove(-1)}
            aria-label={`Move step ${n} up`}
          >
            ↑
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={index === count - 1}
            onClick={() => onMove(1)}
            aria-label={`Move step ${n} down`}
          >
            ↓
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={count <= MIN_STEPS}
            onClick={onRemove}
            aria-label={`Remove step ${n}`}
          >
            Remove
          </button>
        </div>
      </div>
      {error ? (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </li>
  );
}
