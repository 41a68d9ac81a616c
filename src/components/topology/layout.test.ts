import { describe, expect, it } from "vitest";
import { buildTopology } from "~/server/services/topology/build";
import { declaredSaga } from "./__fixtures__/order-flow.fixtures";
import { CHAIN_LAYOUT_MAX_NODES, columnLayout, layoutGraph, NODE_SIZE, type LayoutInput } from "./layout";

describe("collapsed domains", () => {
  it("are laid out in a grid wider than high, alphabetically, without overlaps", async () => {
    const nodes = Array.from({ length: 12 }, (_, i) => ({ id: `domain:d${String(i).padStart(2, "0")}`, type: "domain" as const }));
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, from: nodes[i]!.id, to: n.id }));
    const placed = await layoutGraph({ nodes: [...nodes].reverse(), edges });
    const xs = new Set([...placed.values()].map((p) => p.x));
    const ys = new Set([...placed.values()].map((p) => p.y));
    expect(xs.size).toBeGreaterThan(ys.size);
    expect(new Set([...placed.values()].map((p) => `${p.x},${p.y}`)).size).toBe(12);
    expect(placed.get("domain:d00")).toEqual({ x: 0, y: 0 });
    expect(placed.get("domain:d01")!.x).toBeGreaterThanOrEqual(NODE_SIZE.domain.width);
  });
});

/** n flows "svc-i → topic-i → group-i (runs as svc-((i+shift) mod n))", declared in a shuffled order. */
function flows(n: number, shift = 1): LayoutInput {
  const order = Array.from({ length: n }, (_, i) => (i * 7) % n);
  return {
    nodes: order.flatMap((i) => [
      { id: `svc-${i}`, type: "service" as const },
      { id: `topic-${i}`, type: "topic" as const },
      { id: `group-${i}`, type: "group" as const },
    ]),
    edges: order.flatMap((i) => [
      { id: `p-${i}`, from: `svc-${i}`, to: `topic-${i}` },
      { id: `c-${i}`, from: `topic-${i}`, to: `group-${i}` },
      { id: `r-${i}`, from: `group-${i}`, to: `svc-${(i + shift) % n}` },
    ]),
  };
}

describe("columnLayout", () => {
  it("puts services, topics and groups in three columns, with no two nodes of a column overlapping", () => {
    const input = flows(60);
    input.nodes.push({ id: "orphan.DLQ", type: "topic" });
    const positions = columnLayout(input);
    expect(positions.size).toBe(input.nodes.length);
    const kinds = ["service", "topic", "group"] as const;
    const xs = kinds.map((k) => new Set(input.nodes.filter((n) => n.type === k).map((n) => positions.get(n.id)!.x)));
    expect(xs.map((s) => s.size)).toEqual([1, 1, 1]);
    const [sx, tx, gx] = xs.map((s) => [...s][0]!);
    expect(sx).toBeLessThan(tx!);
    expect(tx).toBeLessThan(gx!);
    for (const kind of kinds) {
      const tops = input.nodes.filter((n) => n.type === kind).map((n) => positions.get(n.id)!.y).sort((a, b) => a - b);
      for (let i = 1; i < tops.length; i += 1) expect(tops[i]! - tops[i - 1]!).toBeGreaterThanOrEqual(NODE_SIZE[kind].height);
    }
  });

  it("keeps a service level with the topic it produces and the group it runs, and that group level with its topic", () => {
    const input = flows(40, 0);
    const positions = columnLayout(input);
    const centre = (id: string, kind: keyof typeof NODE_SIZE) => positions.get(id)!.y + NODE_SIZE[kind].height / 2;
    for (let i = 0; i < 40; i += 1) {
      expect(Math.abs(centre(`group-${i}`, "group") - centre(`topic-${i}`, "topic"))).toBeLessThan(1);
      expect(Math.abs(centre(`svc-${i}`, "service") - centre(`topic-${i}`, "topic"))).toBeLessThan(1);
    }
  });

  it("is what layoutGraph uses above the chain layout's size", async () => {
    const input = flows(Math.ceil(CHAIN_LAYOUT_MAX_NODES / 3) + 1);
    expect(await layoutGraph(input)).toEqual(columnLayout(input));
  });
});

describe("the chain layout on the demo's saga", () => {
  it("places every node of a loop (orders → payment-service → payments → order-service → orders) once, none over another", async () => {
    const saga = buildTopology(declaredSaga, { sampledAt: null, topics: [], groups: [], producersSampledAt: null, producers: [] }, { cluster: "c", now: 0, producerRecentMs: 1, isDlqTopic: () => false, dlqPatterns: [], isInternalGroup: () => false });
    expect(saga.edges.some((e) => e.id === "consumed-by:topic:payments->group:order-service")).toBe(true);
    const placed = await layoutGraph({ nodes: saga.nodes.map((n) => ({ id: n.id, type: n.type })), edges: saga.edges });
    expect([...placed.keys()].sort()).toEqual(saga.nodes.map((n) => n.id).sort());
    const boxes = saga.nodes.map((n) => ({ id: n.id, ...placed.get(n.id)!, ...NODE_SIZE[n.type] }));
    for (const a of boxes)
      for (const b of boxes) {
        if (a.id >= b.id) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
  });
});
