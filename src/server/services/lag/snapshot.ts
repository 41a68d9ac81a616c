// Turns one cycle's raw broker reads into a LagSnapshot: per-partition lag like
// kafka-consumer-groups, lag in seconds, rates, and Burrow-style status. Pure apart from the
// memory it carries between cycles (SamplerMemory), so it is unit-tested without a broker.
import type { CommittedOffset, ConsumerGroupDescription, PartitionOffsetRange } from "~/server/broker";
import { ratePerSecond } from "./rates";
import { evaluateGroup, evaluatePartition } from "./status";
import { EndOffsetTable } from "./time-lag";
import type { GroupPartitionLag, GroupSnapshot, LagSnapshot, OffsetSample, TopicSnapshot } from "./types";

export interface CycleInput {
  cluster: string;
  /** Wall-clock time of the cycle start, epoch ms (timestamps, time lag). */
  now: number;
  /** Monotonic time of the cycle start, ms (rates never go wrong when the wall clock jumps). */
  monotonicNow: number;
  cycleMs: number;
  offsets: PartitionOffsetRange[];
  groups: ConsumerGroupDescription[];
  /** Committed offsets per group; a group whose offsets could not be read is absent. */
  committed: Map<string, CommittedOffset[]>;
}

export interface SnapshotOptions {
  statusWindow: number;
}

/** What the sampler remembers between cycles. Lost on restart: status shows PENDING until the window refills. */
export class SamplerMemory {
  readonly windows = new Map<string, OffsetSample[]>();
  readonly endTables = new Map<string, EndOffsetTable>();
  readonly topicTotals = new Map<string, { value: number; at: number }>();
  /** Per group partition: its last committed offset and when that value was first seen (for STOP). */
  readonly commits = new Map<string, { committed: number; since: number }>();
  /** Per group: last cycle's committed offset per partition and the monotonic time, for the consume rate. */
  readonly groupCommits = new Map<string, { at: number; offsets: Map<string, number> }>();
}

/**
 * Messages per second a group committed since the last cycle: the sum of per-partition deltas over
 * partitions committed both times, in all and per topic. A partition's first commit is not a jump
 * from 0, and a partition whose offset went back (a reset) is left out rather than counted negative.
 */
function consumeRates(
  prev: { at: number; offsets: Map<string, number> } | undefined,
  offsets: Map<string, number>,
  at: number,
): { total: number | null; byTopic: Record<string, number> } {
  if (!prev || at <= prev.at) return { total: null, byTopic: {} };
  const seconds = (at - prev.at) / 1000;
  let delta = 0;
  const byTopic: Record<string, number> = {};
  for (const [k, offset] of offsets) {
    const before = prev.offsets.get(k);
    if (before === undefined || offset < before) continue;
    delta += offset - before;
    const topic = k.slice(0, k.indexOf("\u0000"));
    byTopic[topic] = (byTopic[topic] ?? 0) + (offset - before) / seconds;
  }
  return { total: delta / seconds, byTopic };
}

const key = (...parts: (string | number)[]) => parts.join("\u0000");

function memberOf(group: ConsumerGroupDescription): Map<string, { consumerId: string; host: string; clientId: string }> {
  const owners = new Map<string, { consumerId: string; host: string; clientId: string }>();
  for (const m of group.members) {
    for (const a of m.assignments) for (const p of a.partitions) owners.set(key(a.topic, p), { consumerId: m.memberId, host: m.host, clientId: m.clientId });
  }
  return owners;
}

export function buildSnapshot(input: CycleInput, memory: SamplerMemory, options: SnapshotOptions): LagSnapshot {
  const { now } = input;
  const endOf = new Map<string, PartitionOffsetRange>();
  const topicsByName = new Map<string, PartitionOffsetRange[]>();
  for (const p of input.offsets) {
    endOf.set(key(p.topic, p.partition), p);
    const list = topicsByName.get(p.topic) ?? [];
    list.push(p);
    topicsByName.set(p.topic, list);
    const tableKey = key(p.topic, p.partition);
    let table = memory.endTables.get(tableKey);
    if (!table) memory.endTables.set(tableKey, (table = new EndOffsetTable()));
    table.add({ offset: p.high, at: now });
  }

  const topics: TopicSnapshot[] = [...topicsByName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topic, partitions]) => {
      const total = partitions.reduce((sum, p) => sum + p.high, 0);
      const next = { value: total, at: input.monotonicNow };
      const produceRate = ratePerSecond(memory.topicTotals.get(topic), next);
      memory.topicTotals.set(topic, next);
      return { topic, partitions, produceRate };
    });

  const seenWindows = new Set<string>();
  const groups: GroupSnapshot[] = input.groups.map((group) => {
    const owners = memberOf(group);
    const commits = input.committed.get(group.groupId) ?? [];
    const committedOf = new Map(commits.map((c) => [key(c.topic, c.partition), c.offset]));
    // Partitions shown: those the group committed, plus those assigned to a member without a commit yet.
    const partitionKeys = new Map<string, { topic: string; partition: number }>();
    for (const c of commits) partitionKeys.set(key(c.topic, c.partition), { topic: c.topic, partition: c.partition });
    for (const m of group.members) for (const a of m.assignments) for (const p of a.partitions) partitionKeys.set(key(a.topic, p), { topic: a.topic, partition: p });

    const partitions: GroupPartitionLag[] = [];
    for (const [pk, { topic, partition }] of partitionKeys) {
      const range = endOf.get(pk);
      // A committed partition of a topic that no longer exists has no end offset; skip it like the reference tool does.
      if (!range) continue;
      const committed = committedOf.get(pk) ?? null;
      const lag = committed === null ? null : range.high - committed;
      const windowKey = key(group.groupId, topic, partition);
      seenWindows.add(windowKey);
      const window = memory.windows.get(windowKey) ?? [];
      window.push({ at: now, committed, end: range.high });
      while (window.length > options.statusWindow) window.shift();
      memory.windows.set(windowKey, window);
      let lastCommitChangeAt: number | undefined;
      if (committed !== null) {
        const seen = memory.commits.get(windowKey);
        if (!seen || seen.committed !== committed) memory.commits.set(windowKey, { committed, since: now });
        lastCommitChangeAt = memory.commits.get(windowKey)!.since;
      }
      const { status } = evaluatePartition(window, { now, minSamples: options.statusWindow, lastCommitChangeAt });
      const estimate = memory.endTables.get(pk)?.estimate(committed, now) ?? { seconds: null, extrapolated: false };
      const owner = owners.get(pk);
      partitions.push({
        topic,
        partition,
        committed,
        end: range.high,
        lag,
        lagSeconds: estimate.seconds,
        lagSecondsExtrapolated: estimate.extrapolated,
        status,
        committedBelowLogStart: committed !== null && committed < range.low,
        consumerId: owner?.consumerId ?? null,
        host: owner?.host ?? null,
        clientId: owner?.clientId ?? null,
      });
    }
    partitions.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));

    const positiveLags = partitions.map((p) => p.lag).filter((l): l is number => l !== null).map((l) => Math.max(0, l));
    const lagSeconds = partitions.map((p) => p.lagSeconds).filter((s): s is number => s !== null);
    const offsetsNow = new Map(commits.map((c) => [key(c.topic, c.partition), c.offset]));
    const rates = consumeRates(memory.groupCommits.get(group.groupId), offsetsNow, input.monotonicNow);
    memory.groupCommits.set(group.groupId, { at: input.monotonicNow, offsets: offsetsNow });

    return {
      groupId: group.groupId,
      state: group.state,
      members: group.members,
      status: evaluateGroup(partitions.map((p) => p.status)),
      totalLag: positiveLags.reduce((a, b) => a + b, 0),
      maxLag: positiveLags.length ? Math.max(...positiveLags) : 0,
      maxLagSeconds: lagSeconds.length ? Math.max(...lagSeconds) : null,
      consumeRate: rates.total,
      consumeRateByTopic: rates.byTopic,
      partitions,
    };
  });

  // Forget what no longer exists, so memory stays bounded as groups and topics come and go.
  for (const k of memory.windows.keys()) if (!seenWindows.has(k)) memory.windows.delete(k);
  for (const k of memory.commits.keys()) if (!seenWindows.has(k)) memory.commits.delete(k);
  for (const k of memory.endTables.keys()) if (!endOf.has(k)) memory.endTables.delete(k);
  for (const t of memory.topicTotals.keys()) if (!topicsByName.has(t)) memory.topicTotals.delete(t);
  const groupIds = new Set(input.groups.map((g) => g.groupId));
  for (const g of memory.groupCommits.keys()) if (!groupIds.has(g)) memory.groupCommits.delete(g);

  return { cluster: input.cluster, takenAt: now, cycleMs: input.cycleMs, topics, groups };
}
