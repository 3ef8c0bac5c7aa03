'use client';

import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  message?: ReactNode;
  confirmLabel: string;
  /** Destructive actions get the red button. */
  danger?: boolean;
  onConfirm: () => void;
}

/**
 * A modal confirmation on the native <dialog>: focus moves into it and back, Esc and the backdrop
 * cancel, and it matches the app's light/dark styles (window.confirm does none of the last).
 * Usage: `const { confirm, dialog } = useConfirm();` render `{dialog}` once, call `confirm({...})`.
 */
export function useConfirm(): { confirm: (request: ConfirmRequest) => void; dialog: ReactNode } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const confirm = useCallback((next: ConfirmRequest) => setRequest(next), []);
  const close = useCallback(() => setRequest(null), []);
  return { confirm, dialog: <ConfirmDialog request={request} onClose={close} /> };
}

function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (request && !dialog.open) dialog.showModal();
    if (!request && dialog.open) dialog.close();
  }, [request]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid="confirm-dialog"
      onClose={onClose}
      // A click on the backdrop lands on the <dialog> itself (its content is wrapped in a form).
      onClick={(event) => {
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
    >
      {request ? (
        <form method="dialog" className="stack">
          <h2 id={titleId}>{request.title}</h2>
          {request.message ? <p className="muted">{request.message}</p> : null}
          <div className="dialog-actions">
            {/* Cancel first and focused: Enter on an unexpected dialog must not destroy anything. */}
            <button type="submit" value="cancel" className="btn" autoFocus>
              Cancel
            </button>
            <button
              type="button"
              className={request.danger ? 'btn btn-danger' : 'btn btn-primary'}
              onClick={() => {
                request.onConfirm();
                ref.current?.close();
              }}
            >
              {request.confirmLabel}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
