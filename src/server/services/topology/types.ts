// The topology graph's vocabulary: what GET /api/topology.json returns and the Topology page draws.
// Every node and edge says where it came from, so the page can show declared-but-absent and
// present-but-undeclared parts of the system differently.
import type { GroupStatus } from "~/server/services/lag/types";

export type NodeKind = "service" | "topic" | "group";
/**
 * dead-letters: a service (or a group whose service is unknown) writes failed records to a DLQ topic.
 * dead-letters-from: from a topic to the DLQ its failed records land in, in the direction records
 * flow; the page draws it as a link back from the DLQ to its source topic.
 */
export type EdgeKind = "produces" | "consumed-by" | "runs-as" | "dead-letters" | "dead-letters-from";
/** declared: only the catalog knows it; observed: only the broker shows it; both: they agree. */
export type Provenance = "declared" | "observed" | "both";

export interface ServiceNode {
  id: string;
  type: "service";
  label: string;
  source: Provenance;
  team: string | null;
  description: string | null;
}

export interface TopicNode {
  id: string;
  type: "topic";
  label: string;
  source: Provenance;
  /** Event types the catalog binds to this topic. */
  eventTypes: { name: string; domain: string | null }[];
  /** Event types seen in recent messages on it (envelope eventType). */
  observedEventTypes: string[];
  isDlq: boolean;
  partitions: number | null;
  /** Messages per second produced; null until the sampler has two samples or when the topic is absent. */
  produceRate: number | null;
  /**
   * For a DLQ whose writer could not be singled out: the groups reading its source topics, any of
   * which may dead-letter into it (group node ids). Empty otherwise.
   */
  deadLetterCandidates: string[];
  /**
   * A DLQ into which more records arrived in the last 5 minutes than were redriven or discarded
   * (the DLQ index's "growing", as on the clusters home page); false for any other topic.
   */
  dlqGrowing: boolean;
}

export interface GroupNode {
  id: string;
  type: "group";
  label: string;
  source: Provenance;
  /** Burrow-style status from the lag sampler; null when the broker does not show the group. */
  status: GroupStatus | null;
  state: string | null;
  members: number;
  totalLag: number | null;
  maxLagSeconds: number | null;
  consumeRate: number | null;
}

export type TopologyNode = ServiceNode | TopicNode | GroupNode;

export interface TopologyEdge {
  id: string;
  from: string;
  to: string;
  type: EdgeKind;
  source: Provenance;
  /** msgs/s along the edge: the producer's share of the topic's rate, or the group's consume rate of the topic. */
  rate: number | null;
  /** Event types carried, where known (declared producers and subscriptions, sampled messages). */
  eventTypes: string[];
  /** Dead-letter edges only: what says the link exists (see dead-letters.ts). */
  evidence?: DeadLetterEvidence[];
}

/**
 * Why a DLQ is linked to a source topic or a writer:
 * - record-headers: its records' headers name the topic they came from (the DLQ index);
 * - catalog: the catalog declares the DLQ with this source topic, or declares the writer as its producer;
 * - topic-name: the DLQ's name is the source topic's (or the group's) under a DLQ pattern, as in orders.DLQ;
 * - sampled-writer: its recent records name who wrote them (the producer sampler);
 * - only-reader: the only consumer group reading the source topic;
 * - name-match: of the groups reading the source topic, the only one whose name shares a word with the DLQ's.
 */
export type DeadLetterEvidence = "record-headers" | "catalog" | "topic-name" | "sampled-writer" | "only-reader" | "name-match";

export type DriftKind =
  | "undeclared-topic"
  | "undeclared-group"
  | "undeclared-producer"
  | "subscription-without-group"
  | "silent-producer"
  | "missing-topic";

/** What fixes a drift item. `declare-*` actions are catalog writes (architect role); `open` is a link. */
export type DriftFix =
  | { action: "declare-subscription"; label: string; groupId: string; topics: string[]; serviceGuess: string | null; eventTypes: string[] }
  | { action: "declare-producer"; label: string; service: string; topic: string; eventTypes: string[] }
  | { action: "open"; label: string; href: string };

export interface DriftItem {
  id: string;
  kind: DriftKind;
  /** The node the item is about, so the page can select it. */
  nodeId: string;
  message: string;
  fix: DriftFix;
}

export interface Topology {
  generatedAt: string;
  cluster: string;
  /** When the broker-side facts were sampled; null when the sampler has not run yet. */
  observedAt: string | null;
  /** When producers were last inferred from recent messages; null before the first pass. */
  producersObservedAt: string | null;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  drift: DriftItem[];
  /** Filter vocabularies for the page. */
  domains: string[];
  teams: string[];
}

/** What the catalog declares (src/server/catalog). */
export interface DeclaredSystem {
  services: { name: string; team: string | null; description: string | null }[];
  eventTypes: { name: string; domain: string | null; owner: string | null }[];
  /** Event type ↔ topic, for the cluster being drawn. */
  bindings: { eventType: string; topic: string }[];
  producers: { service: string; eventType: string }[];
  subscriptions: { service: string; eventType: string; topic: string; consumerGroupId: string }[];
  /** DLQ topics the catalog declares, with the topic their failures come from (the DLQ page). */
  dlqDeclarations?: { topic: string; sourceTopic: string | null }[];
}

/** What the broker shows, from the lag sampler's latest snapshot and the producer sampler. */
export interface ObservedSystem {
  sampledAt: number | null;
  topics: { topic: string; partitions: number; produceRate: number | null }[];
  groups: {
    groupId: string;
    state: string;
    status: GroupStatus;
    totalLag: number;
    maxLagSeconds: number | null;
    consumeRate: number | null;
    /** msgs/s consumed per topic; a topic without two samples yet is absent. */
    consumeRateByTopic: Record<string, number>;
    /** Topics the group has assigned or committed. */
    topics: string[];
    memberClientIds: string[];
    members: number;
  }[];
  producersSampledAt: number | null;
  /** (topic, service, eventType) seen in recent messages, with how many of the sampled messages. */
  producers: { topic: string; service: string; eventType: string | null; messages: number; lastSeen: number }[];
  /** Per DLQ topic, the source topics its records' headers name, with how many records (the DLQ index). */
  deadLetterOrigins?: { topic: string; originTopic: string; records: number }[];
  /** DLQ topics the DLQ index finds growing. */
  growingDlqs?: string[];
}

export interface BuildOptions {
  cluster: string;
  now: number;
  /** A producer counts as active if it was seen within this many ms. */
  producerRecentMs: number;
  isDlqTopic: (topic: string) => boolean;
  /** DLQ_TOPIC_PATTERNS, to read a source topic or group out of a DLQ's name (orders.DLQ → orders). */
  dlqPatterns: readonly string[];
  /** Consumer groups Signalbox itself uses to read (message sampling); never drawn, never drift. */
  isInternalGroup: (groupId: string) => boolean;
}
