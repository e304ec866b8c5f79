import { type ReactNode, useRef, useState } from 'react';

/**
 * A button that asks before acting, in a modal <dialog>: focus moves into it, Escape cancels,
 * and the action only runs on an explicit confirm.
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  detail: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm: () => Promise<void>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      dialog.current?.close();
    }
  };
  return (
    <>
      <button
        type="button"
        className={props.danger === true ? 'danger' : undefined}
        disabled={props.disabled === true || busy}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.question} className="confirm">
        <h2>{props.question}</h2>
        <div className="muted">{props.detail}</div>
        <div className="actions">
          <button type="button" autoFocus onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            className={props.danger === true ? 'danger' : 'primary'}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {props.confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
