// The consumer groups and topics lists at scale (thousands of groups, tens of thousands of
// partitions): the browser asks for a filtered, sorted window of rows instead of the whole list.
// The worker stores each snapshot's list rows beside it (SnapshotLists), sorted by name once, so a
// web process reads a few hundred KB for a list instead of parsing every partition of the snapshot,
// and a row's position is its name's rank: the name sort and the name tie-break compare numbers.
// Each web process indexes the newest lists once, as soon as the worker announces them (their
// lower-cased names, and each other sort order as it is first asked for), so a keystroke or a click
// on a column costs one pass over the rows, not a sort and not a copy of the list.
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

/** The list rows of one snapshot, each list in natural name order. */
export interface SnapshotLists {
  takenAt: number;
  groups: GroupListItem[];
  topics: TopicListRow[];
  /** Per topic, in the order of `topics`: the sums of its partitions' end and start offsets (the sparkline's current point). */
  topicOffsets: [end: number, start: number][];
}

/**
 * Positions of `names` in natural order. Remembers the last answer: a cluster's names rarely change
 * from one cycle to the next, and comparing them in order is far cheaper than collating them again.
 */
export class NameOrder {
  private names: string[] = [];
  private order = new Uint32Array(0);
  of(names: string[]): Uint32Array {
    const same = names.length === this.names.length && names.every((name, i) => name === this.names[i]);
    if (!same) {
      this.names = names;
      this.order = Uint32Array.from(names.keys()).sort((a, b) => compareNames(names[a]!, names[b]!));
    }
    return this.order;
  }
}

/** The snapshot's list rows (what the worker stores with it). `orders` keeps the name sorts between cycles. */
export function snapshotLists(snapshot: LagSnapshot, orders: { groups: NameOrder; topics: NameOrder } = { groups: new NameOrder(), topics: new NameOrder() }): SnapshotLists {
  const groups = Array.from(orders.groups.of(snapshot.groups.map((g) => g.groupId)), (i) => groupListItem(snapshot.groups[i]!));
  const topicOrder = orders.topics.of(snapshot.topics.map((t) => t.topic));
  const topics = Array.from(topicOrder, (i) => topicListRow(snapshot.topics[i]!));
  const topicOffsets = Array.from(topicOrder, (i): [number, number] => {
    const partitions = snapshot.topics[i]!.partitions;
    return [partitions.reduce((s, p) => s + p.high, 0), partitions.reduce((s, p) => s + p.low, 0)];
  });
  return { takenAt: snapshot.takenAt, groups, topics, topicOffsets };
}

/** Compares two rows by their positions; built once per list and sort key, so it can precompute what it compares. */
type PositionOrder<Item> = (items: Item[]) => (a: number, b: number) => number;

/** Rows are in name order: position is the name's rank. */
const byName: PositionOrder<unknown> = () => (a, b) => a - b;
const byNumber =
  <Item>(value: (item: Item) => number): PositionOrder<Item> =>
  (items) => {
    const values = Float64Array.from(items, value);
    return (a, b) => values[a]! - values[b]!;
  };
// The default collation, as String.prototype.localeCompare uses it, made once (localeCompare makes one per call).
const COLLATOR = new Intl.Collator();
/** By text in the default collation: each distinct text is collated once and then compared by rank. */
const byText =
  <Item>(text: (item: Item) => string): PositionOrder<Item> =>
  (items) => {
    const texts = items.map(text);
    const ranks = new Map([...new Set(texts)].sort(COLLATOR.compare).map((t, rank) => [t, rank]));
    const values = Int32Array.from(texts, (t) => ranks.get(t)!);
    return (a, b) => values[a]! - values[b]!;
  };

/** Worst last, so "desc" puts the worst on top. */
const SEVERITY: Record<GroupStatus, number> = { OK: 0, PENDING: 1, WARN: 2, ERR: 3 };
/** Unknown (null) values sort below zero. */
const orNone = (value: number | null) => value ?? -1;

const GROUP_ORDER: Record<GroupSortKey, PositionOrder<GroupListItem>> = {
  group: byName,
  status: (items) => {
    const severity = byNumber<GroupListItem>((g) => SEVERITY[g.status])(items);
    const lag = byNumber<GroupListItem>((g) => g.totalLag)(items);
    return (a, b) => severity(a, b) || lag(a, b);
  },
  state: byText((g) => g.state),
  members: byNumber((g) => g.members),
  topics: byText((g) => g.topics.join(",")),
  totalLag: byNumber((g) => g.totalLag),
  maxLag: byNumber((g) => g.maxLag),
  maxLagSeconds: byNumber((g) => orNone(g.maxLagSeconds)),
  rate: byNumber((g) => orNone(g.consumeRate)),
};

const TOPIC_ORDER: Record<TopicSortKey, PositionOrder<TopicListRow>> = {
  topic: byName,
  partitions: byNumber((t) => t.partitions),
  messages: byNumber((t) => t.messages),
  // Unknown rates (fewer than two samples) sort below zero.
  rate: byNumber((t) => orNone(t.produceRate)),
};

/** One list of one snapshot: its rows (in name order), their names lower-cased, and the sort orders asked for so far. */
export class ListIndex<Item, Key extends string> {
  readonly lowerNames: string[];
  private readonly orders = new Map<string, Uint32Array>();
  constructor(
    readonly items: Item[],
    nameOf: (item: Item) => string,
    private readonly compare: Record<Key, PositionOrder<Item>>,
  ) {
    this.lowerNames = items.map((item) => nameOf(item).toLowerCase());
  }

  /** Row positions in this order; ties by name, ascending in either direction. Sorted once per snapshot. */
  order(key: Key, dir: "asc" | "desc"): Uint32Array {
    const id = `${key}:${dir}`;
    let order = this.orders.get(id);
    if (!order) {
      const compare = this.compare[key](this.items);
      const sign = dir === "asc" ? 1 : -1;
      order = Uint32Array.from(this.items.keys()).sort((a, b) => sign * compare(a, b) || a - b);
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

/** The indexes of one snapshot's lists, and each topic's offset sums by name. */
export interface ListIndexes {
  takenAt: number;
  groups: GroupIndex;
  topics: TopicIndex;
  topicOffsets: Map<string, [end: number, start: number]>;
}

/** Indexes stored lists; the default sort of the groups page (worst first) is made at once, so the first request finds it. */
export function indexLists(lists: SnapshotLists): ListIndexes {
  const groups: GroupIndex = new ListIndex(lists.groups, (g) => g.groupId, GROUP_ORDER);
  groups.order("status", "desc");
  return {
    takenAt: lists.takenAt,
    groups,
    topics: new ListIndex(lists.topics, (t) => t.topic, TOPIC_ORDER),
    topicOffsets: new Map(lists.topics.map((t, i) => [t.topic, lists.topicOffsets[i]!])),
  };
}

const indexes = new WeakMap<LagSnapshot, ListIndexes>();

/** A snapshot's indexes, built from the full snapshot on first use (a snapshot stored without its lists, tests). */
export function snapshotIndexes(snapshot: LagSnapshot): ListIndexes {
  let found = indexes.get(snapshot);
  if (!found) indexes.set(snapshot, (found = indexLists(snapshotLists(snapshot))));
  return found;
}

export function groupIndex(snapshot: LagSnapshot): GroupIndex {
  return snapshotIndexes(snapshot).groups;
}

export function topicIndex(snapshot: LagSnapshot): TopicIndex {
  return snapshotIndexes(snapshot).topics;
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
