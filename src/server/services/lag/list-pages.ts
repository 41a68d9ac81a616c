// The consumer groups and topics lists at scale (thousands of groups, tens of thousands of
// partitions): the browser asks for a filtered, sorted window of rows instead of the whole list.
// Each latest snapshot gets an index once per web process (its rows, their lower-cased names, and
// each sort order as it is first asked for), so a keystroke or a click on a column costs one pass
// over the rows, not a sort and not a copy of the list.
import { compareNames } from "~/lib/compare-names";
import type { GroupSortKey, GroupsPageInput, TopicSortKey, TopicsPageInput } from "./list-pages.types";
import type { GroupSnapshot, GroupStatus, LagSnapshot, TopicSnapshot } from "./types";

export interface GroupListItem {
  groupId: string;
  state: string;
  members: number;
  topics: string[];
  status: GroupStatus;
  totalLag: number;
  maxLag: number;
  maxLagSeconds: number | null;
  consumeRate: number | null;
  partitionsWithoutCommit: number;
}

/** A topics list row without its sparkline, which is read from history for the rows of a page only. */
export interface TopicListRow {
  topic: string;
  partitions: number;
  messages: number;
  produceRate: number | null;
}

export function groupListItem(g: GroupSnapshot): GroupListItem {
  return {
    groupId: g.groupId,
    state: g.state,
    members: g.members.length,
    topics: [...new Set(g.partitions.map((p) => p.topic))],
    status: g.status,
    totalLag: g.totalLag,
    maxLag: g.maxLag,
    maxLagSeconds: g.maxLagSeconds,
    consumeRate: g.consumeRate,
    partitionsWithoutCommit: g.partitions.filter((p) => p.committed === null).length,
  };
}

export function topicListRow(t: TopicSnapshot): TopicListRow {
  return { topic: t.topic, partitions: t.partitions.length, messages: t.partitions.reduce((s, p) => s + Math.max(0, p.high - p.low), 0), produceRate: t.produceRate };
}

/** Worst last, so "desc" puts the worst on top. */
const SEVERITY: Record<GroupStatus, number> = { OK: 0, PENDING: 1, WARN: 2, ERR: 3 };
const byNullable = (a: number | null, b: number | null) => (a ?? -1) - (b ?? -1);

const GROUP_ORDER: Record<GroupSortKey, (a: GroupListItem, b: GroupListItem) => number> = {
  group: (a, b) => compareNames(a.groupId, b.groupId),
  status: (a, b) => SEVERITY[a.status] - SEVERITY[b.status] || a.totalLag - b.totalLag,
  state: (a, b) => a.state.localeCompare(b.state),
  members: (a, b) => a.members - b.members,
  topics: (a, b) => a.topics.join(",").localeCompare(b.topics.join(",")),
  totalLag: (a, b) => a.totalLag - b.totalLag,
  maxLag: (a, b) => a.maxLag - b.maxLag,
  maxLagSeconds: (a, b) => byNullable(a.maxLagSeconds, b.maxLagSeconds),
  rate: (a, b) => byNullable(a.consumeRate, b.consumeRate),
};

const TOPIC_ORDER: Record<TopicSortKey, (a: TopicListRow, b: TopicListRow) => number> = {
  topic: (a, b) => compareNames(a.topic, b.topic),
  partitions: (a, b) => a.partitions - b.partitions,
  messages: (a, b) => a.messages - b.messages,
  // Unknown rates (fewer than two samples) sort below zero.
  rate: (a, b) => byNullable(a.produceRate, b.produceRate),
};

/** One list of one snapshot: its rows, their names lower-cased, and the sort orders asked for so far. */
export class ListIndex<Item, Key extends string> {
  readonly lowerNames: string[];
  private readonly orders = new Map<string, Uint32Array>();
  constructor(
    readonly items: Item[],
    private readonly nameOf: (item: Item) => string,
    private readonly compare: Record<Key, (a: Item, b: Item) => number>,
  ) {
    this.lowerNames = items.map((item) => nameOf(item).toLowerCase());
  }

  /** Row positions in this order; ties by name, ascending in either direction. Sorted once per snapshot. */
  order(key: Key, dir: "asc" | "desc"): Uint32Array {
    const id = `${key}:${dir}`;
    let order = this.orders.get(id);
    if (!order) {
      const { items, nameOf } = this;
      const compare = this.compare[key];
      const sign = dir === "asc" ? 1 : -1;
      order = Uint32Array.from(items.keys()).sort((a, b) => sign * compare(items[a]!, items[b]!) || compareNames(nameOf(items[a]!), nameOf(items[b]!)));
      this.orders.set(id, order);
    }
    return order;
  }

  /**
   * The rows `offset` to `offset + limit` of those that pass `keep` and contain `filter` (any case),
   * in the given order, and how many pass in all. One pass, stopping at nothing: the count needs every row.
   */
  window(query: { filter: string; sort: Key; dir: "asc" | "desc"; offset: number; limit: number }, keep: ((item: Item) => boolean) | null): { rows: Item[]; matching: number } {
    const needle = query.filter.trim().toLowerCase();
    const order = this.order(query.sort, query.dir);
    const rows: Item[] = [];
    const end = query.offset + query.limit;
    let matching = 0;
    for (const i of order) {
      if (needle && !this.lowerNames[i]!.includes(needle)) continue;
      const item = this.items[i]!;
      if (keep && !keep(item)) continue;
      if (matching >= query.offset && matching < end) rows.push(item);
      matching += 1;
    }
    return { rows, matching };
  }
}

export type GroupIndex = ListIndex<GroupListItem, GroupSortKey>;
export type TopicIndex = ListIndex<TopicListRow, TopicSortKey>;

const indexes = new WeakMap<LagSnapshot, { groups?: GroupIndex; topics?: TopicIndex }>();

function indexesOf(snapshot: LagSnapshot) {
  let found = indexes.get(snapshot);
  if (!found) indexes.set(snapshot, (found = {}));
  return found;
}

/** The snapshot's groups index, built on first use (the snapshot object is the web process's cached one). */
export function groupIndex(snapshot: LagSnapshot): GroupIndex {
  const found = indexesOf(snapshot);
  return (found.groups ??= new ListIndex(snapshot.groups.map(groupListItem), (g) => g.groupId, GROUP_ORDER));
}

export function topicIndex(snapshot: LagSnapshot): TopicIndex {
  const found = indexesOf(snapshot);
  return (found.topics ??= new ListIndex(snapshot.topics.map(topicListRow), (t) => t.topic, TOPIC_ORDER));
}

export type StatusCounts = Record<GroupStatus, number>;

export interface GroupsPage {
  rows: GroupListItem[];
  /** Groups that match the filter and status. */
  matching: number;
  /** Groups the caller may see, and their statuses (the filter aside, as the summary shows them). */
  total: number;
  counts: StatusCounts;
}

export function groupsPageOf(index: GroupIndex, input: GroupsPageInput, mayView: ((g: GroupListItem) => boolean) | null): GroupsPage {
  const counts: StatusCounts = { ERR: 0, WARN: 0, PENDING: 0, OK: 0 };
  let total = 0;
  for (const g of index.items) {
    if (mayView && !mayView(g)) continue;
    counts[g.status] += 1;
    total += 1;
  }
  const { status } = input;
  const keep = status === null ? mayView : (g: GroupListItem) => g.status === status && (!mayView || mayView(g));
  const { rows, matching } = index.window(input, keep);
  return { rows, matching, total, counts };
}

export interface TopicsPageRows {
  rows: TopicListRow[];
  matching: number;
  total: number;
}

export function topicsPageOf(index: TopicIndex, input: TopicsPageInput, mayView: ((t: TopicListRow) => boolean) | null): TopicsPageRows {
  const total = mayView ? index.items.filter(mayView).length : index.items.length;
  const { rows, matching } = index.window(input, mayView);
  return { rows, matching, total };
}
