// History rows → chart points. Rows are stored only when something changed (or once a minute),
// so rates come from offset deltas between consecutive rows, whatever their spacing. The latest
// snapshot is appended as the newest row, so an idle series still reaches "now" with true values.
import type { GroupSampleRow, TopicSampleRow } from "~/server/catalog";
import { ratePerSecond } from "./rates";
import type { GroupSnapshot, TopicSnapshot } from "./types";

export interface TopicPoint {
  at: number;
  endOffset: number;
  /** Messages per second produced since the previous point; null for the first point or after a reset. */
  rate: number | null;
}

export interface GroupPoint {
  at: number;
  lag: number;
  maxLagSeconds: number | null;
  /** Messages per second committed since the previous point. */
  consumeRate: number | null;
  status: string;
  members: number;
}

function withLatest<T extends { at: Date }>(rows: T[], latest: T | null): T[] {
  const last = rows.at(-1);
  return latest && (!last || latest.at.getTime() > last.at.getTime()) ? [...rows, latest] : rows;
}

export function topicSeries(rows: TopicSampleRow[], latest: TopicSampleRow | null = null): TopicPoint[] {
  let prev: { value: number; at: number } | undefined;
  return withLatest(rows, latest).map((row) => {
    const next = { value: row.endOffset, at: row.at.getTime() };
    const point = { at: next.at, endOffset: row.endOffset, rate: ratePerSecond(prev, next) };
    prev = next;
    return point;
  });
}

export function groupSeries(rows: GroupSampleRow[], latest: GroupSampleRow | null = null): GroupPoint[] {
  let prev: { value: number; at: number } | undefined;
  return withLatest(rows, latest).map((row) => {
    const next = { value: row.committed, at: row.at.getTime() };
    const point = { at: next.at, lag: row.totalLag, maxLagSeconds: row.maxLagSeconds, consumeRate: ratePerSecond(prev, next), status: row.status, members: row.members };
    prev = next;
    return point;
  });
}

/** A snapshot entry in the shape of a history row, so series end at the latest sample. */
export function topicRow(t: TopicSnapshot, takenAt: number): TopicSampleRow {
  return { topic: t.topic, at: new Date(takenAt), endOffset: t.partitions.reduce((s, p) => s + p.high, 0), startOffset: t.partitions.reduce((s, p) => s + p.low, 0) };
}

export function groupRow(g: GroupSnapshot, takenAt: number): GroupSampleRow {
  return {
    groupId: g.groupId,
    at: new Date(takenAt),
    committed: g.partitions.reduce((s, p) => s + (p.committed ?? 0), 0),
    totalLag: g.totalLag,
    maxLag: g.maxLag,
    maxLagSeconds: g.maxLagSeconds,
    status: g.status,
    members: g.members.length,
  };
}
