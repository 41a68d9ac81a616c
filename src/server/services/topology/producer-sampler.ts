// The producer sampler: reads the newest few records of each partition that received data since its
// last pass, and infers who produced them. It works from the lag sampler's latest snapshot (which
// already knows every partition's offsets), so it asks the broker for records only, and only where
// something new arrived: an idle cluster costs nothing.
import type { ProducerObservation } from "~/server/catalog";
import type { LagSnapshot } from "~/server/services/lag/types";
import { inferProducers, type SampledRecord } from "./producers";

export interface FetchedPartition {
  partition: number;
  records: (SampledRecord & { offset: number })[];
}

/** Reads records of one topic from the given offsets (the broker adapter's fetchRecords). */
export type RecordFetcher = (topic: string, positions: { partition: number; offset: number }[]) => Promise<FetchedPartition[]>;

export interface ProducerSamplerOptions {
  /** Newest records read per partition. */
  sampleSize: number;
  producerHeader: string | null;
  /** Topics read in parallel. */
  concurrency: number;
}

export interface ProducerPass {
  observations: ProducerObservation[];
  topicsRead: number;
  records: number;
  /** Topics that could not be read, with why; the others still count. */
  failures: { topic: string; error: string }[];
}

export class ProducerSampler {
  /** The end offset each partition had when it was last read. */
  private readonly seenEnd = new Map<string, number>();

  constructor(
    private readonly fetch: RecordFetcher,
    private readonly options: ProducerSamplerOptions,
  ) {}

  async pass(snapshot: LagSnapshot): Promise<ProducerPass> {
    const work: { topic: string; positions: { partition: number; offset: number; end: number }[] }[] = [];
    const present = new Set<string>();
    for (const t of snapshot.topics) {
      if (t.topic.startsWith("__")) continue;
      const positions = [];
      for (const p of t.partitions) {
        const key = `${t.topic}\u0000${p.partition}`;
        present.add(key);
        if (p.high <= p.low || this.seenEnd.get(key) === p.high) continue;
        positions.push({ partition: p.partition, offset: Math.max(p.low, p.high - this.options.sampleSize), end: p.high });
      }
      if (positions.length) work.push({ topic: t.topic, positions });
    }
    // Forget partitions that no longer exist, so a recreated topic is read again.
    for (const key of this.seenEnd.keys()) if (!present.has(key)) this.seenEnd.delete(key);

    const result: ProducerPass = { observations: [], topicsRead: 0, records: 0, failures: [] };
    let next = 0;
    const runOne = async () => {
      while (next < work.length) {
        const item = work[next++]!;
        try {
          const fetched = await this.fetch(item.topic, item.positions.map(({ partition, offset }) => ({ partition, offset })));
          const endOf = new Map(item.positions.map((p) => [p.partition, p.end]));
          // A fetch can return more than asked (whole batches); keep only the sampled window.
          const records = fetched.flatMap((f) => f.records.filter((r) => r.offset < (endOf.get(f.partition) ?? Infinity)));
          result.observations.push(...inferProducers(records, this.options.producerHeader));
          result.records += records.length;
          result.topicsRead += 1;
          for (const p of item.positions) this.seenEnd.set(`${item.topic}\u0000${p.partition}`, p.end);
        } catch (error) {
          result.failures.push({ topic: item.topic, error: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, work.length) }, runOne));
    return result;
  }
}
