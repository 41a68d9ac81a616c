import { describe, expect, it } from "vitest";
import { createEnvelope } from "~/lib/envelope";
import type { LagSnapshot } from "~/server/services/lag/types";
import { ProducerSampler, type RecordFetcher } from "./producer-sampler";

const value = (source: string) => Buffer.from(JSON.stringify(createEnvelope({ eventType: "OrderPlaced", source, data: {} })));

function snapshot(highs: Record<string, number[]>): LagSnapshot {
  return {
    cluster: "c",
    takenAt: 0,
    cycleMs: 1,
    groups: [],
    topics: Object.entries(highs).map(([topic, ends]) => ({ topic, produceRate: null, partitions: ends.map((high, partition) => ({ topic, partition, low: 0, high })) })),
  };
}

/** A fake topic store: every record of partition p at offset o was produced by `source-of(p)`. */
function fetcher(calls: { topic: string; positions: { partition: number; offset: number }[] }[], fail: string[] = []): RecordFetcher {
  return async (topic, positions) => {
    calls.push({ topic, positions });
    if (fail.includes(topic)) throw new Error("Kafka is unreachable");
    // Return one record too many per partition, as a whole batch might.
    return positions.map(({ partition, offset }) => ({
      partition,
      records: Array.from({ length: 4 }, (_, i) => ({ topic, offset: offset + i, timestamp: 1000 + i, value: value(`svc-${partition}`), headers: [] })),
    }));
  };
}

describe("ProducerSampler", () => {
  it("reads only the newest records of partitions that received data, and infers their producers", async () => {
    const calls: Parameters<typeof fetcher>[0] = [];
    const sampler = new ProducerSampler(fetcher(calls), { sampleSize: 3, producerHeader: null, concurrency: 2 });
    const pass = await sampler.pass(snapshot({ orders: [10, 0], __consumer_offsets: [5] }));
    expect(calls).toEqual([{ topic: "orders", positions: [{ partition: 0, offset: 7 }] }]);
    expect(pass.records).toBe(3); // offsets 7, 8, 9; the extra record at 10 is past the sampled end
    expect(pass.observations).toEqual([{ topic: "orders", service: "svc-0", eventType: "OrderPlaced", messages: 3, lastSeen: new Date(1002) }]);
  });

  it("skips partitions whose end did not move since the last pass", async () => {
    const calls: Parameters<typeof fetcher>[0] = [];
    const sampler = new ProducerSampler(fetcher(calls), { sampleSize: 3, producerHeader: null, concurrency: 1 });
    await sampler.pass(snapshot({ orders: [10, 4] }));
    calls.length = 0;
    const pass = await sampler.pass(snapshot({ orders: [10, 6] }));
    expect(calls).toEqual([{ topic: "orders", positions: [{ partition: 1, offset: 3 }] }]);
    expect(pass.topicsRead).toBe(1);
  });

  it("reports a topic it cannot read and still samples the others; the failed one is retried next pass", async () => {
    const calls: Parameters<typeof fetcher>[0] = [];
    const sampler = new ProducerSampler(fetcher(calls, ["broken"]), { sampleSize: 2, producerHeader: null, concurrency: 1 });
    const pass = await sampler.pass(snapshot({ broken: [5], orders: [5] }));
    expect(pass.failures).toEqual([{ topic: "broken", error: "Kafka is unreachable" }]);
    expect(pass.observations.map((o) => o.topic)).toEqual(["orders"]);
    calls.length = 0;
    await sampler.pass(snapshot({ broken: [5], orders: [5] }));
    expect(calls.map((c) => c.topic)).toEqual(["broken"]);
  });
});
