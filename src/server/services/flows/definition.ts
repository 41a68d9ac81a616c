// A flow (saga) as an architect declares it, and the rules a declaration must follow. A flow starts
// with one event type; each step says which event types are expected after an earlier one, and how
// soon (the step's SLO). The event types of one step are alternatives: exactly one of them is
// expected (PaymentSucceeded or PaymentFailed after OrderPlaced). Two steps after the same event are
// both expected (parallel branches). Compensations are the event types that undo earlier steps;
// they are drawn apart from the happy path. An instance ends at its first terminal event: completed
// or compensated.
import { z } from "zod";

const MAX_STEPS = 50;
const MAX_ALTERNATIVES = 8;
const MIN_SLO_MS = 100;
const MAX_SLO_MS = 7 * 24 * 3600_000;

const eventTypeName = z.string().trim().min(1, "An event type name is empty.").max(200, "An event type name is longer than 200 characters.");
const sloMs = z.number().int().min(MIN_SLO_MS, `An SLO must be at least ${MIN_SLO_MS} ms.`).max(MAX_SLO_MS, "An SLO must be at most 7 days.");

export const flowStep = z.object({
  after: eventTypeName,
  next: z.array(eventTypeName).min(1, "A step needs at least one expected event type.").max(MAX_ALTERNATIVES, `A step has at most ${MAX_ALTERNATIVES} alternatives.`),
  sloMs,
});

export const flowDefinition = z.object({
  startEventType: eventTypeName,
  steps: z.array(flowStep).min(1, "A flow needs at least one step.").max(MAX_STEPS, `A flow has at most ${MAX_STEPS} steps.`),
  compensations: z.array(eventTypeName).max(MAX_STEPS).default([]),
  completedOn: z.array(eventTypeName).min(1, "Name at least one event type that completes the flow.").max(MAX_STEPS),
  compensatedOn: z.array(eventTypeName).max(MAX_STEPS).default([]),
  endToEndSloMs: sloMs,
});

export const flowName = z
  .string()
  .trim()
  .min(1, "The flow's name is empty.")
  .max(100, "The flow's name is longer than 100 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "A flow's name uses letters, digits, spaces, dots, dashes and underscores, and starts with a letter or digit.");

export type FlowStep = z.infer<typeof flowStep>;
export type FlowDefinition = z.infer<typeof flowDefinition>;

/** A step's key in latency histograms and on the diagram's edges: `<after>><next>`. */
export const edgeKey = (after: string, next: string) => `${after}>${next}`;

/**
 * The problems of a declaration that its shape alone does not show, each a sentence naming what to
 * change; empty when the flow can be monitored. `known` are the catalog's event type names, when the
 * caller has them (an event type the catalog lacks is named, not refused silently).
 */
export function flowProblems(def: FlowDefinition, known?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const reachable = new Set([def.startEventType]);
  // Steps may be listed in any order: grow the reachable set until it stops growing.
  for (let changed = true; changed; ) {
    changed = false;
    for (const step of def.steps) {
      if (!reachable.has(step.after)) continue;
      for (const next of step.next) {
        if (reachable.has(next)) continue;
        reachable.add(next);
        changed = true;
      }
    }
  }
  def.steps.forEach((step, i) => {
    if (!reachable.has(step.after)) problems.push(`Step ${i + 1} waits after ${step.after}, which no step of the flow leads to from ${def.startEventType}.`);
    if (new Set(step.next).size !== step.next.length) problems.push(`Step ${i + 1} names the same event type twice.`);
    if (step.next.includes(def.startEventType)) problems.push(`Step ${i + 1} leads back to the start event ${def.startEventType}; a new ${def.startEventType} starts a new instance.`);
  });
  const seenPairs = new Set<string>();
  for (const step of def.steps) {
    for (const next of step.next) {
      const key = edgeKey(step.after, next);
      if (seenPairs.has(key)) problems.push(`${step.after} → ${next} is declared in two steps.`);
      seenPairs.add(key);
    }
  }
  for (const t of [...def.completedOn, ...def.compensatedOn]) if (!reachable.has(t)) problems.push(`The terminal event ${t} is not reached by any step.`);
  for (const t of def.completedOn) if (def.compensatedOn.includes(t)) problems.push(`${t} cannot both complete and compensate the flow.`);
  for (const t of def.compensations) if (!reachable.has(t)) problems.push(`The compensation ${t} is not reached by any step.`);
  if (known) {
    const all = new Set([def.startEventType, ...def.steps.flatMap((s) => [s.after, ...s.next])]);
    const unknown = [...all].filter((t) => !known.has(t)).sort();
    if (unknown.length) problems.push(`Not in the catalog: ${unknown.join(", ")}. Register the event type${unknown.length > 1 ? "s" : ""} first.`);
  }
  return problems;
}

/** Every event type the flow names, the start event first (the diagram's nodes, the topology's flows through a topic). */
export function flowEventTypes(def: FlowDefinition): Set<string> {
  return new Set([def.startEventType, ...def.steps.flatMap((s) => [s.after, ...s.next]), ...def.completedOn, ...def.compensatedOn]);
}
