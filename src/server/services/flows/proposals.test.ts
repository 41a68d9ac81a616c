import { describe, expect, it } from "vitest";
import { flowDefinition, flowProblems } from "./definition";
import { CausationObserver, proposeFlows } from "./proposals";
import type { FlowEvent } from "./tracker";

const T0 = Date.UTC(2026, 11, 6, 12);
function chain(observer: CausationObserver, correlation: string, steps: [type: string, cause: string | null, at: number][]) {
  for (const [type, cause, at] of steps) {
    const e: FlowEvent = { topic: "t", partition: 0, offset: 0, timestamp: T0 + at, key: correlation, eventId: `${correlation}:${type}`, eventType: type, source: "s", correlationId: correlation, causationId: cause ? `${correlation}:${cause}` : null, version: 1, deadLetter: false };
    observer.ingest(e);
  }
}

describe("proposeFlows", () => {
  it("proposes the demo's saga from its causation chains: alternatives, a parallel branch, compensations, the notifier left out", () => {
    const observer = new CausationObserver();
    for (let i = 0; i < 20; i++) {
      const c = `o${i}`;
      if (i % 4 === 0) chain(observer, c, [["OrderPlaced", null, 0], ["PaymentFailed", "OrderPlaced", 300], ["OrderCancelled", "PaymentFailed", 500], ["NotificationSent", "OrderPlaced", 900]]);
      else if (i % 4 === 1) chain(observer, c, [["OrderPlaced", null, 0], ["PaymentSucceeded", "OrderPlaced", 300], ["PaymentSettled", "PaymentSucceeded", 350], ["StockReservationFailed", "PaymentSucceeded", 500], ["PaymentRefunded", "StockReservationFailed", 600], ["OrderCancelled", "PaymentRefunded", 700]]);
      else chain(observer, c, [["OrderPlaced", null, 0], ["PaymentSucceeded", "OrderPlaced", 300], ["PaymentSettled", "PaymentSucceeded", 350], ["StockReserved", "PaymentSucceeded", 500], ["StockAllocated", "StockReserved", 600], ["NotificationSent", "PaymentSucceeded", 2000]]);
    }
    // The notifier answers many kinds of event (here three): a listener, not a step.
    chain(observer, "n", [["OrderPlaced", null, 0], ["PaymentFailed", "OrderPlaced", 300], ["NotificationSent", "PaymentFailed", 900]]);
    const [proposal] = proposeFlows(observer.summary());
    expect(proposal).toBeDefined();
    const def = proposal!.definition;
    expect(def.startEventType).toBe("OrderPlaced");
    expect(def.steps).toContainEqual(expect.objectContaining({ after: "OrderPlaced", next: ["PaymentFailed", "PaymentSucceeded"] }));
    expect(def.steps).toContainEqual(expect.objectContaining({ after: "PaymentSucceeded", next: ["StockReservationFailed", "StockReserved"] }));
    expect(def.steps).toContainEqual(expect.objectContaining({ after: "PaymentSucceeded", next: ["PaymentSettled"] }));
    expect(def.steps.flatMap((s) => s.next)).not.toContain("NotificationSent");
    expect(proposal!.leftOut.map((l) => l.eventType)).toContain("NotificationSent");
    expect(def.completedOn).toEqual(["StockAllocated"]);
    expect(def.compensatedOn).toEqual(["OrderCancelled"]);
    expect(def.compensations).toEqual(["OrderCancelled", "PaymentRefunded"]);
    // What it proposes is a valid declaration.
    expect(flowDefinition.safeParse(def).success).toBe(true);
    expect(flowProblems(def)).toEqual([]);
  });

  it("proposes nothing for a start already declared, or seen too rarely", () => {
    const observer = new CausationObserver();
    for (let i = 0; i < 10; i++) chain(observer, `a${i}`, [["A", null, 0], ["B", "A", 10]]);
    chain(observer, "z", [["Z", null, 0], ["Y", "Z", 10]]);
    expect(proposeFlows(observer.summary()).map((p) => p.definition.startEventType)).toEqual(["A"]);
    expect(proposeFlows(observer.summary(), new Set(["A"]))).toEqual([]);
  });
});

describe("flowProblems", () => {
  it("names what to change: an unreachable step, an unknown event type, a terminal that is also a compensation end", () => {
    const problems = flowProblems(
      { startEventType: "A", steps: [{ after: "A", next: ["B"], sloMs: 1000 }, { after: "Q", next: ["R"], sloMs: 1000 }], compensations: [], completedOn: ["B"], compensatedOn: ["B"], endToEndSloMs: 5000 },
      new Set(["A", "B"]),
    );
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining("waits after Q"), expect.stringContaining("cannot both complete and compensate"), expect.stringContaining("Not in the catalog: Q, R")]));
  });
});
