// The offset sampler: each cycle reads end offsets of all partitions and committed offsets of all
// groups, builds a LagSnapshot, stores it with its history, and tells listeners. Group membership
// and the topic list are re-read less often (they change rarely and cost the most on big clusters),
// but the group ids are listed every cycle (one small request per broker): a group that appeared or
// went away re-reads the metadata at once, so a new consumer group shows within a cycle, not 30 s.
import {
  describeConsumerGroups,
  fetchCommittedOffsetsOfGroups,
  listConsumerGroupIds,
  listTopicNames,
  readPartitionOffsets,
  type ClusterConnectionConfig,
  type CommittedOffset,
  type ConsumerGroupDescription,
} from "~/server/broker";
import { CHANNELS, insertRawSamples, notify, saveLatestSnapshot, type GroupSampleRow, type TopicSampleRow } from "~/server/catalog";
import { createLogger } from "~/lib/logger";
import { AppError } from "~/server/errors";
import { NameOrder, snapshotLists } from "./list-pages";
import { groupRow, topicRow } from "./series";
import { buildSnapshot, SamplerMemory } from "./snapshot";
import type { CyclePhases, LagSnapshot } from "./types";

const log = createLogger("sampler");

export interface SamplerOptions {
  metadataIntervalMs: number;
  statusWindow: number;
  concurrency: number;
  /** A history row is written when a series changed, or at least this often. */
  heartbeatMs?: number;
}

interface Written {
  signature: string;
  at: number;
}

export class Sampler {
  readonly memory = new SamplerMemory();
  private topics: string[] = [];
  private groups: ConsumerGroupDescription[] = [];
  private metadataReadAt = -Infinity;
  private readonly written = new Map<string, Written>();
  /** The name sorts of the list rows, kept between cycles (names rarely change). */
  private readonly nameOrders = { groups: new NameOrder(), topics: new NameOrder() };

  constructor(
    private readonly config: ClusterConnectionConfig,
    private readonly options: SamplerOptions,
  ) {}

  /** One full cycle. Throws when the broker cannot be read; nothing is stored then. */
  async cycle(): Promise<LagSnapshot> {
    const started = performance.now();
    const now = Date.now();
    const phases: CyclePhases = { listGroupsMs: 0, metadataMs: 0, listOffsetsMs: 0, offsetFetchMs: 0, buildMs: 0 };
    const timed = async <T>(phase: keyof CyclePhases, work: () => Promise<T>): Promise<T> => {
      const s = performance.now();
      try {
        return await work();
      } finally {
        phases[phase] += Math.round(performance.now() - s);
      }
    };
    if (started - this.metadataReadAt >= this.options.metadataIntervalMs) await timed("metadataMs", () => this.refreshMetadata());
    else if (await timed("listGroupsMs", () => this.groupsChanged())) await timed("metadataMs", () => this.refreshMetadata());

    const groupIds = this.groups.map((g) => g.groupId);
    const [offsets, committedOrErrors] = await Promise.all([
      timed("listOffsetsMs", () => this.readOffsets()),
      timed("offsetFetchMs", () => fetchCommittedOffsetsOfGroups(this.config, groupIds, this.options.concurrency)),
    ]);
    const built = performance.now();
    const committed = new Map<string, CommittedOffset[]>();
    const failed: { groupId: string; error: string }[] = [];
    for (const [groupId, result] of committedOrErrors) {
      if (result instanceof Error) failed.push({ groupId, error: result.message });
      else committed.set(groupId, result);
    }
    // One line per cycle, not one per group: when the broker struggles, thousands of groups fail alike.
    if (failed.length) log.warn("could not read some groups' committed offsets", { groups: failed.length, first: failed.slice(0, 5) });
    // A committed topic we do not know yet (created since the last metadata read) triggers a refresh next cycle.
    const known = new Set(this.topics);
    if ([...committed.values()].some((list) => list.some((c) => !known.has(c.topic)))) this.metadataReadAt = -Infinity;

    const snapshot = buildSnapshot(
      { cluster: this.config.name, now, monotonicNow: started, cycleMs: 0, offsets, groups: this.groups, committed },
      this.memory,
      { statusWindow: this.options.statusWindow },
    );
    phases.buildMs = Math.round(performance.now() - built);
    snapshot.cycleMs = Math.round(performance.now() - started);
    snapshot.phases = phases;
    return snapshot;
  }

  private async readOffsets() {
    try {
      return await readPartitionOffsets(this.config, this.topics);
    } catch (error) {
      // A topic deleted since the last metadata read fails the whole request: re-read the list once.
      if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
      await this.refreshMetadata();
      return readPartitionOffsets(this.config, this.topics);
    }
  }

  /** Forces the next cycle to re-read topics and group membership. */
  invalidateMetadata(): void {
    this.metadataReadAt = -Infinity;
  }

  private async groupsChanged(): Promise<boolean> {
    const ids = await listConsumerGroupIds(this.config);
    const known = new Set(this.groups.map((g) => g.groupId));
    return ids.length !== known.size || ids.some((id) => !known.has(id));
  }

  private async refreshMetadata(): Promise<void> {
    const [topics, groupIds] = await Promise.all([listTopicNames(this.config), listConsumerGroupIds(this.config)]);
    this.topics = topics.filter((t) => !t.startsWith("__"));
    this.groups = await describeConsumerGroups(this.config, groupIds);
    this.metadataReadAt = performance.now();
  }

  /** Stores the snapshot as the latest view, appends changed series to history, and notifies listeners. */
  async persist(snapshot: LagSnapshot): Promise<void> {
    const at = new Date(snapshot.takenAt);
    const heartbeat = this.options.heartbeatMs ?? 60_000;
    const changed = (seriesKey: string, signature: string) => {
      const last = this.written.get(seriesKey);
      if (last && last.signature === signature && snapshot.takenAt - last.at < heartbeat) return false;
      this.written.set(seriesKey, { signature, at: snapshot.takenAt });
      return true;
    };
    const topicRows: TopicSampleRow[] = [];
    for (const t of snapshot.topics) {
      const row = topicRow(t, snapshot.takenAt);
      if (changed(`t:${t.topic}`, `${row.endOffset}/${row.startOffset}`)) topicRows.push(row);
    }
    const groupRows: GroupSampleRow[] = [];
    for (const g of snapshot.groups) {
      const row = groupRow(g, snapshot.takenAt);
      // Lag seconds grow while nothing else changes; whole seconds keep that from writing every tick for sub-second noise.
      const signature = `${row.committed}/${row.totalLag}/${row.status}/${row.members}/${Math.round(row.maxLagSeconds ?? -1)}`;
      if (changed(`g:${g.groupId}`, signature)) groupRows.push(row);
    }
    await saveLatestSnapshot(snapshot.cluster, at, snapshot.cycleMs, snapshot, snapshotLists(snapshot, this.nameOrders));
    await insertRawSamples(snapshot.cluster, topicRows, groupRows);
    await notify(CHANNELS.lagSnapshot, JSON.stringify({ cluster: snapshot.cluster, takenAt: snapshot.takenAt }));
  }
}
