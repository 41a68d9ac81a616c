"use client";

// A destructive action that cannot be undone asks the person to type the name of what it destroys,
// as GitHub and the Kafka consoles do: a click alone is too easy to make on the wrong row.
import { useId, useState } from "react";

export function TypeToConfirm({
  name,
  title,
  children,
  action,
  pending,
  error,
  onConfirm,
  onCancel,
  testId,
}: {
  /** What the person must type, exactly. */
  name: string;
  title: string;
  /** What will happen, in plain words. */
  children: React.ReactNode;
  /** The button's label, e.g. "Delete group". */
  action: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
}) {
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const matches = typed === name;
  return (
    <section className="card danger-zone" role="alertdialog" aria-labelledby={`${inputId}-title`} data-testid={testId}>
      <h2 id={`${inputId}-title`}>{title}</h2>
      <div className="muted">{children}</div>
      <label htmlFor={inputId} className="confirm-label">
        Type <strong className="mono">{name}</strong> to confirm
      </label>
      <form
        className="confirm-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (matches && !pending) onConfirm();
        }}
      >
        <input id={inputId} className="text-input mono" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} autoFocus data-testid={`${testId}-input`} />
        <button type="submit" className="danger" disabled={!matches || pending} data-testid={`${testId}-submit`}>
          {pending ? "Working…" : action}
        </button>
        <button type="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </section>
  );
}
