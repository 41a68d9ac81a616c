// The vocabulary of consumer-lag monitoring, shared by the sampler (worker), the API, the
// Prometheus endpoint and the UI. Offsets are JavaScript numbers: Kafka offsets are int64, but
// stay below 2^53 in any real cluster (that is 9 quadrillion records per partition).

/**
 * Burrow's partition statuses, plus PENDING while the sliding window has too few samples.
 * - OK: lag reached zero in the window, or the consumer keeps up.
 * - WARN: the committed offset moves, but lag grew in every interval of the window.
 * - STALL: the committed offset did not move in the window, and lag is non-zero.
 * - STOP: no commit for longer than the window spans, while lagging (the consumer has stopped).
 * - REWIND: the committed offset moved backwards within the window.
 */
export const PARTITION_STATUSES = ["PENDING", "OK", "WARN", "STALL", "STOP", "REWIND"] as const;
export type PartitionStatus = (typeof PARTITION_STATUSES)[number];

/** Group status: the worst of its partitions. STALL, STOP and REWIND make the group ERR. */
export const GROUP_STATUSES = ["PENDING", "OK", "WARN", "ERR"] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** One observation of a group's partition, taken by the sampler at `at` (epoch ms). */
export interface OffsetSample {
  at: number;
  /** The group's committed offset; null when the group has no commit for the partition. */
  committed: number | null;
  /** The partition's log-end offset (high watermark) at the same moment. */
  end: number;
}

/** A point of a partition's (end offset, time) table, used to turn lag into seconds. */
export interface EndOffsetPoint {
  offset: number;
  at: number;
}

export interface TimeLagEstimate {
  /** Seconds between now and when the committed offset was the log end; null when unknown. */
  seconds: number | null;
  /** True when the committed offset lies before the table's first point, so time was extrapolated. */
  extrapolated: boolean;
}

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** Log start offset (oldest retained record). */
  low: number;
  /** Log-end offset, high watermark, read_uncommitted: what kafka-consumer-groups calls LOG-END-OFFSET. */
  high: number;
}

export interface GroupPartitionLag {
  topic: string;
  partition: number;
  committed: number | null;
  end: number;
  /**
   * end − committed, as kafka-consumer-groups prints it (negative when the commit is above the
   * high watermark); null when there is no commit, never 0. Totals count only lags above zero.
   */
  lag: number | null;
  lagSeconds: number | null;
  lagSecondsExtrapolated: boolean;
  status: PartitionStatus;
  /** Records were deleted past the committed offset: the group will skip them (committed < log start). */
  committedBelowLogStart: boolean;
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: { topic: string; partitions: number[] }[];
}

export interface GroupSnapshot {
  groupId: string;
  /** Kafka's group state: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead, Unknown. */
  state: string;
  members: GroupMember[];
  status: GroupStatus;
  /** Sum of known lags; partitions without a commit do not count. */
  totalLag: number;
  maxLag: number;
  maxLagSeconds: number | null;
  /** Messages per second the group commits, over the last interval; null until two samples exist. */
  consumeRate: number | null;
  /** The consume rate split by topic; a topic is absent until two samples of it exist. */
  consumeRateByTopic: Record<string, number>;
  partitions: GroupPartitionLag[];
}

export interface TopicSnapshot {
  topic: string;
  partitions: PartitionOffsets[];
  /** Messages per second produced, from end-offset deltas over monotonic time; null until two samples. */
  produceRate: number | null;
}

/** A sampler cycle's steps, timed: what the benchmark reports per broker request type. */
export interface CyclePhases {
  /** ListGroups to every broker (each cycle), to see groups that appeared or went away. */
  listGroupsMs: number;
  /** Topic list, group ids and DescribeGroups, when re-read (every SAMPLER_METADATA_INTERVAL_MS, or when the groups changed); 0 otherwise. */
  metadataMs: number;
  /** ListOffsets (log end and start) to every leader broker. */
  listOffsetsMs: number;
  /** OffsetFetch of every group's committed offsets. */
  offsetFetchMs: number;
  /** Lag, lag in seconds, rates and status from the answers (CPU only). */
  buildMs: number;
}

export interface LagSnapshot {
  cluster: string;
  /** Epoch ms when the cycle started. */
  takenAt: number;
  /** How long the sampler cycle took, ms. */
  cycleMs: number;
  /** Where the cycle's time went, ms per step (the steps overlap: they do not add up to cycleMs). Absent in snapshots stored before it was kept. */
  phases?: CyclePhases;
  topics: TopicSnapshot[];
  groups: GroupSnapshot[];
}
