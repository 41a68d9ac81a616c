import { describe, expect, it } from "vitest";
import { mergeStreams } from "./stream";

async function* timed<T>(values: [T, number][]): AsyncGenerator<T> {
  for (const [value, delayMs] of values) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield value;
  }
}

describe("mergeStreams", () => {
  it("yields each value as its source yields it, and ends when every source has ended", async () => {
    const seen: string[] = [];
    for await (const value of mergeStreams([timed([["a1", 30], ["a2", 60]]), timed([["b1", 5], ["b2", 5]]), timed<string>([])])) seen.push(value);
    expect(seen).toEqual(["b1", "b2", "a1", "a2"]);
  });

  it("ends with the error of a source that fails", async () => {
    async function* failing(): AsyncGenerator<string> {
      yield "before";
      throw new Error("listener lost");
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const value of mergeStreams([failing(), timed([["late", 50]])])) seen.push(value);
      })(),
    ).rejects.toThrow("listener lost");
    expect(seen).toEqual(["before"]);
  });

  it("closes every source when the consumer stops early", async () => {
    let closed = 0;
    async function* counted(name: string): AsyncGenerator<string> {
      try {
        for (;;) {
          yield name;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      } finally {
        closed++;
      }
    }
    for await (const value of mergeStreams([counted("x"), counted("y")])) if (value) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(2);
  });
});
