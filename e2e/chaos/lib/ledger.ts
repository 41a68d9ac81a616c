// The chaos suite's proof that nothing was lost or duplicated, read with kcat (librdkafka, a client
// independent of Signalbox's kafkajs; read_committed, so aborted transactions do not count). Each
// source record carries a unique sequence number in its value; each copy names the source position
// it came from (x-replay-of). Every source position must be in the target exactly once, with the
// same bytes, and the target must hold nothing else.
import { kcatConsume, kcatHeader, kcatProduce, type KcatRecord } from "../../../scripts/lib/kcat";
import { kafkaTool } from "../../../scripts/lib/local-kafka";

export async function createTopic(kafkaPort: number, topic: string, partitions: number): Promise<void> {
  await kafkaTool(kafkaPort, "kafka-topics", ["--create", "--topic", topic, "--partitions", String(partitions)]);
}

/** Produces `count` records numbered from 0, keyed so they spread over the partitions, each carrying `headers`. */
export async function produceNumbered(bootstrap: string, topic: string, count: number, headers: string[] = []): Promise<void> {
  const lines = Array.from({ length: count }, (_, seq) => `k-${seq}\t{"seq":${seq},"topic":"${topic}","pad":"${"x".repeat(64)}"}\n`).join("");
  await kcatProduce(bootstrap, topic, lines, headers);
}

export interface Ledger {
  /** Records in the source. */
  records: number;
  /** Copies in the target. */
  copies: number;
  /** Source positions with no copy. */
  lost: number;
  /** Copies beyond the first of a source position. */
  duplicated: number;
  /** Copies of no source position, or whose bytes differ from their source's. */
  strays: number;
}

const position = (r: KcatRecord, topic: string) => `${topic}/${r.partition}/${r.offset}`;

export async function account(bootstrap: string, sourceTopic: string, targetTopic: string): Promise<Ledger> {
  const source = new Map((await kcatConsume(bootstrap, sourceTopic)).map((r) => [position(r, sourceTopic), r]));
  const copies = await kcatConsume(bootstrap, targetTopic);
  const seen = new Map<string, number>();
  let strays = 0;
  for (const copy of copies) {
    const of = kcatHeader(copy, "x-replay-of").at(-1);
    const original = of ? source.get(of) : undefined;
    if (!of || !original || !original.value || !copy.value?.equals(original.value) || !(copy.key ?? Buffer.alloc(0)).equals(original.key ?? Buffer.alloc(0))) {
      strays += 1;
      continue;
    }
    seen.set(of, (seen.get(of) ?? 0) + 1);
  }
  let lost = 0;
  let duplicated = 0;
  for (const key of source.keys()) {
    const n = seen.get(key) ?? 0;
    if (n === 0) lost += 1;
    else duplicated += n - 1;
  }
  return { records: source.size, copies: copies.length, lost, duplicated, strays };
}

/** The offset ranges that cover the whole topic, per partition (a replay's ranges). */
export async function wholeTopicRanges(bootstrap: string, topic: string): Promise<{ partition: number; from: number; to: number }[]> {
  const ends = new Map<number, number>();
  for (const r of await kcatConsume(bootstrap, topic)) ends.set(r.partition, Math.max(ends.get(r.partition) ?? 0, r.offset + 1));
  return [...ends].sort(([a], [b]) => a - b).map(([partition, to]) => ({ partition, from: 0, to }));
}
