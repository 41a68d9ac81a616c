"use client";

// Declares a flow, or changes one: its start event, its steps (the event types expected after an
// earlier one, alternatives separated by commas, each step with its SLO), its compensations and
// terminal events, and the end-to-end SLO. Opened empty, from a proposal, or on a declared flow.
// The server checks the declaration against the catalog and says what to change.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import type { RouterInputs } from "~/trpc/types";

type Definition = RouterInputs["flows"]["declare"]["definition"];

interface StepRow {
  after: string;
  next: string;
  sloSeconds: string;
}

const list = (text: string) =>
  text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
const seconds = (text: string) => Math.round(Number(text) * 1000);

export function FlowEditor({ mode, initial, onDone }: { mode: "declare" | "change"; initial: { name: string; description: string; definition: Definition | null }; onDone: (name: string | null) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const types = useQuery(trpc.schemas.list.queryOptions());
  const def = initial.definition;
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [start, setStart] = useState(def?.startEventType ?? "");
  const [steps, setSteps] = useState<StepRow[]>(def?.steps.map((s) => ({ after: s.after, next: s.next.join(", "), sloSeconds: String(s.sloMs / 1000) })) ?? [{ after: "", next: "", sloSeconds: "5" }]);
  const [compensations, setCompensations] = useState(def?.compensations?.join(", ") ?? "");
  const [completedOn, setCompletedOn] = useState(def?.completedOn.join(", ") ?? "");
  const [compensatedOn, setCompensatedOn] = useState(def?.compensatedOn?.join(", ") ?? "");
  const [e2e, setE2e] = useState(def ? String(def.endToEndSloMs / 1000) : "30");
  const done = {
    onSuccess: (result: { name: string }) => {
      void queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
      onDone(result.name);
    },
  };
  const declare = useMutation(trpc.flows.declare.mutationOptions(done));
  const change = useMutation(trpc.flows.change.mutationOptions(done));
  const mutation = mode === "declare" ? declare : change;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    mutation.mutate({
      name,
      description,
      definition: {
        startEventType: start,
        steps: steps.map((s) => ({ after: s.after.trim(), next: list(s.next), sloMs: seconds(s.sloSeconds) })),
        compensations: list(compensations),
        completedOn: list(completedOn),
        compensatedOn: list(compensatedOn),
        endToEndSloMs: seconds(e2e),
      },
    });
  };
  const setStep = (i: number, key: keyof StepRow) => (e: React.ChangeEvent<HTMLInputElement>) => setSteps((rows) => rows.map((r, j) => (j === i ? { ...r, [key]: e.target.value } : r)));
  const error = mutation.error?.message;

  return (
    <form className="card section flow-editor" onSubmit={submit} data-testid="flow-editor" noValidate>
      <h2>{mode === "declare" ? "Declare a flow" : `Change ${initial.name}`}</h2>
      <datalist id="flow-event-types">{types.data?.eventTypes.map((t) => <option key={t.name} value={t.name} />)}</datalist>
      <div className="form-grid">
        <label>
          <span>Name</span>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} disabled={mode === "change"} data-testid="flow-name-input" />
        </label>
        <label>
          <span>Starts with</span>
          <input type="text" list="flow-event-types" value={start} onChange={(e) => setStart(e.target.value)} className="mono" data-testid="flow-start-input" />
        </label>
        <label>
          <span>End-to-end SLO (seconds)</span>
          <input type="number" min={0.1} step="any" value={e2e} onChange={(e) => setE2e(e.target.value)} data-testid="flow-e2e-input" />
        </label>
        <label className="wide">
          <span>Description</span>
          <input type="text" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
        </label>
      </div>
      <h3>Steps</h3>
      <p className="muted small">After an event, the event types expected next. Alternatives in one step are separated by commas (exactly one of them is expected); two steps after the same event are both expected.</p>
      <table className="table flow-steps">
        <thead>
          <tr>
            <th>After</th>
            <th>Expected next (alternatives)</th>
            <th>SLO (s)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {steps.map((s, i) => (
            <tr key={i} data-testid="flow-step-row">
              <td>
                <input type="text" list="flow-event-types" value={s.after} onChange={setStep(i, "after")} className="mono" aria-label={`Step ${i + 1} after`} />
              </td>
              <td>
                <input type="text" value={s.next} onChange={setStep(i, "next")} className="mono" aria-label={`Step ${i + 1} expected next`} />
              </td>
              <td>
                <input type="number" min={0.1} step="any" value={s.sloSeconds} onChange={setStep(i, "sloSeconds")} style={{ width: 80 }} aria-label={`Step ${i + 1} SLO`} />
              </td>
              <td>
                <button type="button" onClick={() => setSteps((rows) => rows.filter((_, j) => j !== i))} disabled={steps.length === 1} aria-label={`Remove step ${i + 1}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setSteps((rows) => [...rows, { after: "", next: "", sloSeconds: "5" }])} data-testid="flow-add-step">
        Add a step
      </button>
      <div className="form-grid">
        <label>
          <span>Completes on</span>
          <input type="text" value={completedOn} onChange={(e) => setCompletedOn(e.target.value)} className="mono" data-testid="flow-completed-input" />
        </label>
        <label>
          <span>Compensated on</span>
          <input type="text" value={compensatedOn} onChange={(e) => setCompensatedOn(e.target.value)} className="mono" data-testid="flow-compensated-input" />
        </label>
        <label>
          <span>Compensations (drawn apart)</span>
          <input type="text" value={compensations} onChange={(e) => setCompensations(e.target.value)} className="mono" data-testid="flow-compensations-input" />
        </label>
      </div>
      {error && (
        <div className="banner bad" role="alert" data-testid="flow-editor-error">
          {error}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending} data-testid="flow-save">
          {mutation.isPending ? "Saving…" : mode === "declare" ? "Declare flow" : "Save changes"}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
