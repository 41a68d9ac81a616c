import { describe, expect, it } from "vitest";
import type { ViewNode } from "./domains";
import { edgeWidth, nodeLook } from "./look";

const group = (over: Partial<Record<string, unknown>> = {}) =>
  ({ id: "group:billing", type: "group", label: "billing", source: "both", status: "OK", state: "Stable", members: 2, totalLag: 10, maxLagSeconds: 1, consumeRate: 5, ...over }) as unknown as ViewNode;

describe("nodeLook", () => {
  it("below the detail zoom, ignores the numbers the page hides there; at it, shows them", () => {
    expect(nodeLook(group({ totalLag: 900, consumeRate: 0.5, maxLagSeconds: 30 }), false)).toBe(nodeLook(group(), false));
    expect(nodeLook(group({ totalLag: 900 }), true)).not.toBe(nodeLook(group(), true));
  });

  it("never ignores what stays visible: a status, the provenance, the name", () => {
    for (const change of [{ status: "ERR" }, { source: "observed" }, { label: "billing-v2" }]) expect(nodeLook(group(change), false)).not.toBe(nodeLook(group(), false));
  });
});

describe("edgeWidth", () => {
  it("grows with the rate on a log scale, in half-pixel steps, from 1.2 px to at most 5", () => {
    expect(edgeWidth(null)).toBe(1.2);
    expect(edgeWidth(0)).toBe(1.2);
    expect(edgeWidth(5)).toBe(edgeWidth(5.4));
    expect(edgeWidth(5) * 2).toBe(Math.round(edgeWidth(5) * 2));
    expect(edgeWidth(5_000)).toBeGreaterThan(edgeWidth(5));
    expect(edgeWidth(1e12)).toBe(5);
  });
});
