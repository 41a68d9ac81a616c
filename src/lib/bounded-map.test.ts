import { describe, expect, it } from "vitest";
import { BoundedMap } from "./bounded-map";

describe("BoundedMap", () => {
  it("keeps at most its limit, forgetting the least recently used first", () => {
    const m = new BoundedMap<string, number>(3);
    m.set("a", 1).set("b", 2).set("c", 3);
    expect(m.get("a")).toBe(1); // a is now the most recently used
    m.set("d", 4);
    expect(m.size).toBe(3);
    expect(m.has("b")).toBe(false);
    expect([...m.keys()].sort()).toEqual(["a", "c", "d"]);
  });

  it("stays at its limit through many evictions, with deletes in between", () => {
    const m = new BoundedMap<number, number>(1_000);
    for (let i = 0; i < 100_000; i += 1) {
      m.set(i, i);
      if (i % 7 === 0) m.delete(i - 500);
    }
    expect(m.size).toBe(1_000);
    expect(m.has(99_999)).toBe(true);
    expect(m.has(98_000)).toBe(false);
  });
});
