// What the web app asks about lag and throughput: the latest snapshot (cached per process and
// refreshed when the worker announces a new one), and history series over a time range.
import {
  CHANNELS,
  listen,
  notificationBatches,
  MINUTE_RESOLUTION,
  RAW_RESOLUTION,
  readGroupSeries,
  readLatestLists,
  readLatestSnapshot,
  readLatestSnapshotHead,
  readLatestSnapshotTime,
  readRecentTopicSamples,
  readTopicSeries,
  type TopicSampleRow,
} from "~/server/catalog";
import { getEnv } from "~/env";
import { AppError } from "~/server/errors";
import { groupsPageOf, indexLists, snapshotIndexes, topicsPageOf, type GroupListItem, type GroupsPage, type ListIndexes, type SnapshotLists, type TopicListRow, type TopicsPageRows } from "./list-pages";
import type { GroupsPageInput, TopicsPageInput } from "./list-pages.types";
import { groupRow, groupSeries, topicRow, topicSeries, type GroupPoint, type TopicPoint } from "./series";
import type { GroupSnapshot, LagSnapshot, TopicSnapshot } from "./types";

export const TIME_RANGES = ["live", "15m", "1h", "24h", "7d"] as const;
export type TimeRange = (typeof TIME_RANGES)[number];
/** How far back each range reaches. */
export const RANGE_MS: Record<TimeRange, number> = { live: 15 * 60_000, "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 };

/**
 * Ranges up to an hour read the raw 5-second rows, longer ones the minute rollups. Raw rows kept
 * for less than the range (HISTORY_RAW_RETENTION_MS lowered, e.g. by the soak benchmark) would
 * leave the chart's start empty: the rollups cover it instead.
 */
export function resolutionFor(range: TimeRange, rawRetentionMs = getEnv().HISTORY_RAW_RETENTION_MS): number {
  return RANGE_MS[range] <= Math.min(3_600_000, rawRetentionMs) ? RAW_RESOLUTION : MINUTE_RESOLUTION;
}

// Reading and parsing a big snapshot costs (2 MB of JSON for 2,000 topics and 1,000 groups: a
// tenth of a second or more; 50,000 partitions' worth is seconds on a busy machine), so each process
// keeps the newest, loads it once however many requests want it at the same moment, and, while
// anyone has asked in the last minute, loads a new one as soon as the worker announces it, before
// the pages that refetch on it ask. The list pages read only the lists the worker stores beside the
// snapshot (list-pages.ts), kept and preloaded the same way, indexed as they load.
const PRELOAD_WHILE_ASKED_WITHIN_MS = 60_000;

/** The newest of something stored with each snapshot, per cluster, in this process. */
class LatestPerCluster<T extends { takenAt: number }> {
  private readonly cache = new Map<string, T>();
  private readonly loading = new Map<string, Promise<T | null>>();
  private readonly askedAt = new Map<string, number>();
  constructor(
    private readonly read: (cluster: string) => Promise<T | null>,
    private readonly onLoaded?: (cluster: string, value: T) => void,
  ) {}

  private load(cluster: string): Promise<T | null> {
    let pending = this.loading.get(cluster);
    if (!pending) {
      pending = this.read(cluster)
        .then((value) => {
          if (value) this.cache.set(cluster, value);
          if (value) this.onLoaded?.(cluster, value);
          return value;
        })
        .finally(() => this.loading.delete(cluster));
      this.loading.set(cluster, pending);
    }
    return pending;
  }

  async get(cluster: string): Promise<T | null> {
    this.askedAt.set(cluster, Date.now());
    preloadOnAnnouncements();
    const takenAt = await readLatestSnapshotTime(cluster);
    if (takenAt === null) return null;
    const wanted = takenAt.getTime();
    const cached = this.cache.get(cluster);
    if (cached?.takenAt === wanted) return cached;
    // A load that started before this snapshot was stored returns the older one: then load again.
    const loaded = await this.load(cluster);
    return loaded && loaded.takenAt < wanted ? this.load(cluster) : loaded;
  }

  /** True while this process reads a newer one than it keeps (announced, or asked for). */
  isLoading(cluster: string): boolean {
    return this.loading.has(cluster);
  }

  /** Loads the announced snapshot's now, when anyone asked for this cluster's in the last minute. */
  preload(cluster: string): void {
    if (Date.now() - (this.askedAt.get(cluster) ?? 0) > PRELOAD_WHILE_ASKED_WITHIN_MS) return;
    // A failed preload is retried by the next request; nothing waits on this one.
    this.load(cluster).catch(() => undefined);
  }
}

const snapshotListeners: ((cluster: string, snapshot: LagSnapshot) => void)[] = [];

/**
 * Calls `listener` with each snapshot this process loads (on an announcement, while someone asks
 * for them): /metrics renders its lag families then, not while Prometheus waits.
 */
export function onSnapshotLoaded(listener: (cluster: string, snapshot: LagSnapshot) => void): void {
  snapshotListeners.push(listener);
}

const snapshots = new LatestPerCluster<LagSnapshot>(
  async (cluster) => (await readLatestSnapshot<LagSnapshot>(cluster))?.payload ?? null,
  (cluster, snapshot) => {
    for (const listener of snapshotListeners) listener(cluster, snapshot);
  },
);

const lists = new LatestPerCluster<ListIndexes>(async (cluster) => {
  const row = await readLatestLists<SnapshotLists>(cluster);
  if (!row) return null;
  if (row.lists) return indexLists(row.lists);
  // Stored by a worker from before the lists were kept apart: made from the whole snapshot.
  const snapshot = await snapshots.get(cluster);
  return snapshot ? snapshotIndexes(snapshot) : null;
});

let preloading: Promise<unknown> | null = null;

function preloadOnAnnouncements(): void {
  preloading ??= listen(CHANNELS.lagSnapshot, (payload) => {
    const cluster = parseSnapshotAnnouncement(payload)?.cluster;
    if (cluster === undefined) return;
    lists.preload(cluster);
    snapshots.preload(cluster);
  }).catch(() => {
    // Without announcements every request still loads what it needs; try again next time.
    preloading = null;
  });
}

export function latestSnapshot(cluster: string): Promise<LagSnapshot | null> {
  return snapshots.get(cluster);
}

/** True while this process loads a snapshot of `cluster` newer than the one it keeps. */
export function loadingNewerSnapshot(cluster: string): boolean {
  return snapshots.isLoading(cluster);
}

/** The latest snapshot's list rows, indexed (the list pages). */
function latestLists(cluster: string): Promise<ListIndexes | null> {
  return lists.get(cluster);
}

/** When the latest snapshot was taken and how long its cycle took, without reading the snapshot. */
export async function latestSampleHead(cluster: string): Promise<{ takenAt: number; cycleMs: number } | null> {
  const head = await readLatestSnapshotHead(cluster);
  return head ? { takenAt: head.takenAt.getTime(), cycleMs: head.cycleMs } : null;
}

export interface SamplerStatus {
  takenAt: number | null;
  cycleMs: number | null;
  /** True when no snapshot is newer than three sampler intervals. */
  stale: boolean;
}

export function samplerStatus(snapshot: { takenAt: number; cycleMs: number } | null, now: number, intervalMs: number): SamplerStatus {
  if (!snapshot) return { takenAt: null, cycleMs: null, stale: true };
  return { takenAt: snapshot.takenAt, cycleMs: snapshot.cycleMs, stale: now - snapshot.takenAt > intervalMs * 3 };
}

export interface TopicListItem extends TopicListRow {
  /** Produce rate over the last few minutes, oldest first, for a sparkline. */
  sparkline: number[];
}

/** Each topic's sparkline from the raw history rows of the last 5 minutes, read for `rows` only (every topic when all are asked for). */
async function withSparklines(cluster: string, indexes: ListIndexes, rows: TopicListRow[], now: number, onlyThese: boolean): Promise<TopicListItem[]> {
  const recent = await readRecentTopicSamples(cluster, new Date(now - 5 * 60_000), onlyThese ? rows.map((t) => t.topic) : undefined);
  const byTopic = new Map<string, TopicSampleRow[]>();
  for (const row of recent) {
    const list = byTopic.get(row.topic) ?? [];
    list.push(row);
    byTopic.set(row.topic, list);
  }
  const at = new Date(indexes.takenAt);
  return rows.map((t) => {
    const [endOffset, startOffset] = indexes.topicOffsets.get(t.topic)!;
    return {
      ...t,
      sparkline: topicSeries(byTopic.get(t.topic) ?? [], { topic: t.topic, at, endOffset, startOffset })
        .slice(1)
        .map((p) => p.rate ?? 0),
    };
  });
}

export async function listTopicsWithRates(cluster: string, now = Date.now()): Promise<{ topics: TopicListItem[]; takenAt: number | null }> {
  const indexes = await latestLists(cluster);
  if (!indexes) return { topics: [], takenAt: null };
  return { topics: await withSparklines(cluster, indexes, indexes.topics.items, now, false), takenAt: indexes.takenAt };
}

/** A filtered, sorted window of the topics list, its rows with sparklines (lag.topicsPage). */
export async function listTopicsPage(cluster: string, input: TopicsPageInput, mayView: ((t: TopicListRow) => boolean) | null, now = Date.now()): Promise<Omit<TopicsPageRows, "rows"> & { rows: TopicListItem[]; takenAt: number | null }> {
  const indexes = await latestLists(cluster);
  if (!indexes) return { rows: [], matching: 0, total: 0, takenAt: null };
  const page = topicsPageOf(indexes.topics, input, mayView);
  return { ...page, rows: await withSparklines(cluster, indexes, page.rows, now, true), takenAt: indexes.takenAt };
}

export async function getTopic(cluster: string, topic: string): Promise<TopicSnapshot & { takenAt: number }> {
  const snapshot = await latestSnapshot(cluster);
  const found = snapshot?.topics.find((t) => t.topic === topic);
  if (!snapshot || !found) throw new AppError("NOT_FOUND", snapshot ? `Topic "${topic}" was not in the latest sample.` : "The sampler has not taken a sample yet.");
  return { ...found, takenAt: snapshot.takenAt };
}

export async function listGroupsWithLag(cluster: string): Promise<{ groups: GroupListItem[]; takenAt: number | null }> {
  const indexes = await latestLists(cluster);
  if (!indexes) return { groups: [], takenAt: null };
  return { groups: indexes.groups.items, takenAt: indexes.takenAt };
}

/** A filtered, sorted window of the consumer groups list with the status counts (lag.groupsPage). */
export async function listGroupsPage(cluster: string, input: GroupsPageInput, mayView: ((g: GroupListItem) => boolean) | null): Promise<GroupsPage & { takenAt: number | null }> {
  const indexes = await latestLists(cluster);
  if (!indexes) return { rows: [], matching: 0, total: 0, counts: { ERR: 0, WARN: 0, PENDING: 0, OK: 0 }, takenAt: null };
  return { ...groupsPageOf(indexes.groups, input, mayView), takenAt: indexes.takenAt };
}

export async function getGroup(cluster: string, groupId: string): Promise<GroupSnapshot & { takenAt: number }> {
  const snapshot = await latestSnapshot(cluster);
  const found = snapshot?.groups.find((g) => g.groupId === groupId);
  if (!snapshot || !found) throw new AppError("NOT_FOUND", snapshot ? `Consumer group "${groupId}" was not in the latest sample.` : "The sampler has not taken a sample yet.");
  return { ...found, takenAt: snapshot.takenAt };
}

export async function topicHistory(cluster: string, topic: string, range: TimeRange, now = Date.now()): Promise<{ points: TopicPoint[]; resolution: number }> {
  const resolution = resolutionFor(range);
  const rows = await readTopicSeries(cluster, topic, resolution, new Date(now - RANGE_MS[range]), new Date(now));
  const snapshot = await latestSnapshot(cluster);
  const current = snapshot?.topics.find((t) => t.topic === topic);
  const points = topicSeries(rows, current && snapshot ? topicRow(current, snapshot.takenAt) : null);
  return { points: points.filter((p) => p.at >= now - RANGE_MS[range]), resolution };
}

export async function groupHistory(cluster: string, groupId: string, range: TimeRange, now = Date.now()): Promise<{ points: GroupPoint[]; resolution: number }> {
  const resolution = resolutionFor(range);
  const rows = await readGroupSeries(cluster, groupId, resolution, new Date(now - RANGE_MS[range]), new Date(now));
  const snapshot = await latestSnapshot(cluster);
  const current = snapshot?.groups.find((g) => g.groupId === groupId);
  const points = groupSeries(rows, current && snapshot ? groupRow(current, snapshot.takenAt) : null);
  return { points: points.filter((p) => p.at >= now - RANGE_MS[range]), resolution };
}

/**
 * Yields each new snapshot announced by the worker, with its cluster, until `signal` aborts. Only
 * the newest of each cluster matters: a slow client skips snapshots instead of queueing them.
 */
export async function* snapshotAnnouncements(signal?: AbortSignal): AsyncGenerator<{ cluster: string; takenAt: number }> {
  for await (const batch of notificationBatches(CHANNELS.lagSnapshot, signal)) {
    const newest = new Map<string, number>();
    for (const payload of batch) {
      const announced = parseSnapshotAnnouncement(payload);
      if (announced) newest.set(announced.cluster, Math.max(announced.takenAt, newest.get(announced.cluster) ?? 0));
    }
    for (const [cluster, takenAt] of newest) yield { cluster, takenAt };
  }
}

/** The cluster and time a lagSnapshot payload names; null for anything else. */
export function parseSnapshotAnnouncement(payload: string): { cluster: string; takenAt: number } | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== "object" || value === null) return null;
    const { cluster, takenAt } = value as Record<string, unknown>;
    return typeof cluster === "string" && typeof takenAt === "number" ? { cluster, takenAt } : null;
  } catch {
    return null;
  }
}
