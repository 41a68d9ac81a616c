// What the web app asks about lag and throughput: the latest snapshot (cached per process and
// refreshed when the worker announces a new one), and history series over a time range.
import {
  CHANNELS,
  listen,
  notificationBatches,
  MINUTE_RESOLUTION,
  RAW_RESOLUTION,
  readGroupSeries,
  readLatestSnapshot,
  readLatestSnapshotTime,
  readRecentTopicSamples,
  readTopicSeries,
  type TopicSampleRow,
} from "~/server/catalog";
import { getEnv } from "~/env";
import { AppError } from "~/server/errors";
import { groupIndex, groupsPageOf, topicIndex, topicsPageOf, type GroupListItem, type GroupsPage, type TopicListRow, type TopicsPageRows } from "./list-pages";
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
// tenth of a second or more), so each process keeps the newest, loads it once however many
// requests want it at the same moment, and, while anyone has asked in the last minute, loads a
// new one as soon as the worker announces it, before the pages that refetch on it ask.
const cache = new Map<string, LagSnapshot>();
const loading = new Map<string, Promise<LagSnapshot | null>>();
const lastAskedAt = new Map<string, number>();
const PRELOAD_WHILE_ASKED_WITHIN_MS = 60_000;
let preloading: Promise<unknown> | null = null;

function loadLatest(cluster: string): Promise<LagSnapshot | null> {
  let pending = loading.get(cluster);
  if (!pending) {
    pending = readLatestSnapshot<LagSnapshot>(cluster)
      .then((row) => {
        if (row) cache.set(cluster, row.payload);
        return row?.payload ?? null;
      })
      .finally(() => loading.delete(cluster));
    loading.set(cluster, pending);
  }
  return pending;
}

function preloadOnAnnouncements(): void {
  preloading ??= listen(CHANNELS.lagSnapshot, (payload) => {
    const cluster = parseSnapshotAnnouncement(payload)?.cluster;
    if (cluster === undefined) return;
    if (Date.now() - (lastAskedAt.get(cluster) ?? 0) > PRELOAD_WHILE_ASKED_WITHIN_MS) return;
    // A failed preload is retried by the next request; nothing waits on this one.
    loadLatest(cluster).catch(() => undefined);
  }).catch(() => {
    // Without announcements every request still loads what it needs; try again next time.
    preloading = null;
  });
}

export async function latestSnapshot(cluster: string): Promise<LagSnapshot | null> {
  lastAskedAt.set(cluster, Date.now());
  preloadOnAnnouncements();
  const takenAt = await readLatestSnapshotTime(cluster);
  if (takenAt === null) return null;
  const wanted = takenAt.getTime();
  const cached = cache.get(cluster);
  if (cached?.takenAt === wanted) return cached;
  // A load that started before this snapshot was stored returns the older one: then load again.
  const loaded = await loadLatest(cluster);
  return loaded && loaded.takenAt < wanted ? loadLatest(cluster) : loaded;
}

export interface SamplerStatus {
  takenAt: number | null;
  cycleMs: number | null;
  /** True when no snapshot is newer than three sampler intervals. */
  stale: boolean;
}

export function samplerStatus(snapshot: LagSnapshot | null, now: number, intervalMs: number): SamplerStatus {
  if (!snapshot) return { takenAt: null, cycleMs: null, stale: true };
  return { takenAt: snapshot.takenAt, cycleMs: snapshot.cycleMs, stale: now - snapshot.takenAt > intervalMs * 3 };
}

export interface TopicListItem extends TopicListRow {
  /** Produce rate over the last few minutes, oldest first, for a sparkline. */
  sparkline: number[];
}

/** Each topic's sparkline from the raw history rows of the last 5 minutes, read for `rows` only (every topic when all are asked for). */
async function withSparklines(cluster: string, snapshot: LagSnapshot, rows: TopicListRow[], now: number, onlyThese: boolean): Promise<TopicListItem[]> {
  const recent = await readRecentTopicSamples(cluster, new Date(now - 5 * 60_000), onlyThese ? rows.map((t) => t.topic) : undefined);
  const byTopic = new Map<string, TopicSampleRow[]>();
  for (const row of recent) {
    const list = byTopic.get(row.topic) ?? [];
    list.push(row);
    byTopic.set(row.topic, list);
  }
  const snapshotOf = new Map(snapshot.topics.map((t) => [t.topic, t]));
  return rows.map((t) => ({
    ...t,
    sparkline: topicSeries(byTopic.get(t.topic) ?? [], topicRow(snapshotOf.get(t.topic)!, snapshot.takenAt))
      .slice(1)
      .map((p) => p.rate ?? 0),
  }));
}

export async function listTopicsWithRates(cluster: string, now = Date.now()): Promise<{ topics: TopicListItem[]; takenAt: number | null }> {
  const snapshot = await latestSnapshot(cluster);
  if (!snapshot) return { topics: [], takenAt: null };
  return { topics: await withSparklines(cluster, snapshot, topicIndex(snapshot).items, now, false), takenAt: snapshot.takenAt };
}

/** A filtered, sorted window of the topics list, its rows with sparklines (lag.topicsPage). */
export async function listTopicsPage(cluster: string, input: TopicsPageInput, mayView: ((t: TopicListRow) => boolean) | null, now = Date.now()): Promise<Omit<TopicsPageRows, "rows"> & { rows: TopicListItem[]; takenAt: number | null }> {
  const snapshot = await latestSnapshot(cluster);
  if (!snapshot) return { rows: [], matching: 0, total: 0, takenAt: null };
  const page = topicsPageOf(topicIndex(snapshot), input, mayView);
  return { ...page, rows: await withSparklines(cluster, snapshot, page.rows, now, true), takenAt: snapshot.takenAt };
}

export async function getTopic(cluster: string, topic: string): Promise<TopicSnapshot & { takenAt: number }> {
  const snapshot = await latestSnapshot(cluster);
  const found = snapshot?.topics.find((t) => t.topic === topic);
  if (!snapshot || !found) throw new AppError("NOT_FOUND", snapshot ? `Topic "${topic}" was not in the latest sample.` : "The sampler has not taken a sample yet.");
  return { ...found, takenAt: snapshot.takenAt };
}

export async function listGroupsWithLag(cluster: string): Promise<{ groups: GroupListItem[]; takenAt: number | null }> {
  const snapshot = await latestSnapshot(cluster);
  if (!snapshot) return { groups: [], takenAt: null };
  return { groups: groupIndex(snapshot).items, takenAt: snapshot.takenAt };
}

/** A filtered, sorted window of the consumer groups list with the status counts (lag.groupsPage). */
export async function listGroupsPage(cluster: string, input: GroupsPageInput, mayView: ((g: GroupListItem) => boolean) | null): Promise<GroupsPage & { takenAt: number | null }> {
  const snapshot = await latestSnapshot(cluster);
  if (!snapshot) return { rows: [], matching: 0, total: 0, counts: { ERR: 0, WARN: 0, PENDING: 0, OK: 0 }, takenAt: null };
  return { ...groupsPageOf(groupIndex(snapshot), input, mayView), takenAt: snapshot.takenAt };
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
