// Consumer status without thresholds, after LinkedIn Burrow's evaluation rules
// (https://github.com/linkedin/Burrow/wiki/Consumer-Lag-Evaluation-Rules): a partition is judged by
// the trend of its committed offset and lag over a sliding window of samples, not by how big the
// lag is. The sampler keeps the window; this file only reads it, so every rule is unit-tested.
//
// Differences from Burrow, all deliberate:
// - Burrow's window holds the consumer's commits; ours holds the sampler's periodic readings, taken
//   whether or not the consumer committed. "When did the commit last change" is therefore derived
//   from the samples, and STOP is judged against twice the window span (see evaluatePartition).
// - Burrow judges whatever part of the window has offsets; we answer PENDING until the window holds
//   `minSamples` samples with a commit, so a fresh group or a restarted sampler is never mislabelled.
// - REWIND is checked before "lag reached 0": a rewind is reported even when the consumer then
//   caught up within the same window (Burrow checks zero lag first).
// - WARN needs lag to grow strictly in every interval (Burrow: lag never decreases).

import type { GroupStatus, OffsetSample, PartitionStatus } from "./types";

export interface PartitionVerdict {
  status: PartitionStatus;
  /** One human-readable sentence with the numbers behind the status. */
  reason: string;
}

export interface EvaluateOptions {
  /** The time of the evaluation, epoch ms (the same clock as the samples' `at`). */
  now: number;
  /** Samples with a committed offset needed before judging; at least 2 are always needed. */
  minSamples: number;
  /**
   * When the committed offset last changed, if the caller remembers further back than the window.
   * Without it the window start is the earliest possible change, and STOP could never exceed
   * twice the window; the sampler passes it so a consumer stopped for long reads STOP, not STALL.
   */
  lastCommitChangeAt?: number;
}

export interface StatusRule<S extends string = PartitionStatus> {
  status: S;
  rule: string;
}

/** The partition rules in the order evaluatePartition applies them; the first that matches wins. */
export const STATUS_RULES: readonly StatusRule[] = [
  {
    status: "PENDING",
    rule: "The latest sample has no committed offset, or the window holds fewer than the required number of consecutive samples with a committed offset (at least 2): not judged yet.",
  },
  { status: "REWIND", rule: "The committed offset went backwards between two consecutive samples of the window." },
  { status: "OK", rule: "Lag was 0 in at least one sample of the window (a committed offset at or past the log end counts as lag 0)." },
  {
    status: "STOP",
    rule: "Lag is non-zero and the committed offset has not changed for more than twice the window's time span, counted from the first sample that shows the latest committed offset to now.",
  },
  { status: "STALL", rule: "Lag is non-zero, the committed offset did not change across the window, and lag stayed the same or grew in every interval." },
  { status: "WARN", rule: "The committed offset moved, but lag grew in every interval of the window." },
  { status: "OK", rule: "Otherwise: the consumer keeps up or is catching up." },
];

/** How a group's status follows from its partitions', in the order evaluateGroup applies them. */
export const GROUP_STATUS_RULES: readonly StatusRule<GroupStatus>[] = [
  { status: "PENDING", rule: "The group has no partitions, or every partition is PENDING." },
  { status: "ERR", rule: "At least one partition is STALL, STOP or REWIND." },
  { status: "WARN", rule: "At least one partition is WARN." },
  { status: "OK", rule: "Otherwise (PENDING partitions next to OK ones leave the group OK)." },
];

/** A sample known to carry a commit. */
type CommittedSample = OffsetSample & { committed: number };

/** Lag as Burrow counts it: records between the commit and the log end, 0 when the commit is at or past the end. */
const lagOf = (s: CommittedSample) => Math.max(0, s.end - s.committed);

/** "45 s" under two minutes, "12 min" under two hours, else "3.5 h": enough precision for a reason sentence. */
function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Judges one partition of a group from its samples, oldest first. The rules, first match wins:
 *
 * 1. PENDING: the latest sample has no commit; or fewer than max(2, minSamples) samples exist; or
 *    fewer than that many consecutive samples at the end of the window carry a commit. Only that
 *    trailing run of committed samples (the "window" below) is judged: a trend cannot be read across
 *    a gap where the group had no commit.
 * 2. REWIND: the committed offset decreased between two consecutive samples.
 * 3. OK: lag was 0 in at least one sample.
 *    From here on, lag is non-zero in every sample.
 * 4. STOP: now − lastCommitChangeAt > 2 × windowSpan, where windowSpan = last.at − first.at and
 *    lastCommitChangeAt is the time of the earliest sample in the window showing the latest committed
 *    offset (the window start when it never changed). The window cannot see further back than its
 *    start, so this is Burrow's "no commit for longer than the window spans" made robust to a window
 *    that only ever holds fresh samples: when the commit never moved, it fires once the newest sample
 *    is itself more than a window span old, i.e. the sampler stopped seeing the partition. When the
 *    caller evaluates right after sampling (now = last.at), STOP cannot fire and a consumer that
 *    stopped committing shows as STALL, which makes its group ERR just the same. Not judged when all
 *    samples share one timestamp (a zero span says nothing about time).
 * 5. STALL: the committed offset never changed in the window and lag was fixed or increasing in
 *    every interval (Burrow: "consumer offset does not change over the window, lag is fixed or
 *    increasing").
 * 6. WARN: the committed offset moved, but lag grew strictly in every interval.
 * 7. OK otherwise: lag held or fell at least once, so the consumer keeps up or is catching up.
 */
export function evaluatePartition(samples: readonly OffsetSample[], options: EvaluateOptions): PartitionVerdict {
  const { now } = options;
  const required = Math.max(2, Number.isFinite(options.minSamples) ? Math.ceil(options.minSamples) : 2);

  const latest = samples.at(-1);
  if (!latest) return { status: "PENDING", reason: `No samples yet; status needs ${required}.` };
  if (latest.committed === null) return { status: "PENDING", reason: "The group has no committed offset for this partition." };
  if (samples.length < required) return { status: "PENDING", reason: `${samples.length} of ${required} samples collected so far.` };

  // The trailing run of samples with a commit; the latest sample has one, so it is never empty.
  let start = samples.length - 1;
  while (start > 0 && samples[start - 1]!.committed !== null) start--;
  const window = samples.slice(start) as CommittedSample[];
  if (window.length < required) {
    return { status: "PENDING", reason: `Only the last ${plural(window.length, "sample")} carry a committed offset; status needs ${required} in a row.` };
  }

  const first = window[0]!;
  const last = window.at(-1)!;
  const lags = window.map(lagOf);
  const firstLag = lags[0]!;
  const lastLag = lags.at(-1)!;
  const intervals = window.length - 1;

  // 2. REWIND
  for (let i = 1; i < window.length; i++) {
    const before = window[i - 1]!.committed;
    const after = window[i]!.committed;
    if (after < before) {
      return { status: "REWIND", reason: `The committed offset went back from ${before} to ${after} within the window of ${plural(window.length, "sample")}.` };
    }
  }

  // 3. OK: lag reached zero.
  const zeroLags = lags.filter((lag) => lag === 0).length;
  if (zeroLags > 0) {
    return { status: "OK", reason: `Lag was 0 in ${zeroLags} of ${window.length} samples (now ${lastLag}).` };
  }

  // 4. STOP. No rewind, so offsets never decrease: walk back over the samples equal to the latest commit.
  let changedAt = window.length - 1;
  while (changedAt > 0 && window[changedAt - 1]!.committed === last.committed) changedAt--;
  const seenChangeAt = window[changedAt]!.at;
  // The remembered time only counts while the window agrees the offset has not moved since.
  const lastCommitChangeAt = changedAt === 0 && options.lastCommitChangeAt !== undefined ? Math.min(options.lastCommitChangeAt, seenChangeAt) : seenChangeAt;
  const windowSpan = last.at - first.at;
  const sinceChange = now - lastCommitChangeAt;
  if (windowSpan > 0 && sinceChange > 2 * windowSpan) {
    return {
      status: "STOP",
      reason: `The committed offset has stayed at ${last.committed} for ${duration(sinceChange)}, over twice the ${duration(windowSpan)} window, with lag ${lastLag}.`,
    };
  }

  // 5. STALL
  const neverMoved = first.committed === last.committed;
  const lagNeverFell = lags.every((lag, i) => i === 0 || lag >= lags[i - 1]!);
  if (neverMoved && lagNeverFell) {
    const lagTrend = firstLag === lastLag ? `stayed at ${lastLag}` : `grew from ${firstLag} to ${lastLag}`;
    return {
      status: "STALL",
      reason: `The committed offset stayed at ${last.committed} across ${window.length} samples (${duration(windowSpan)}) while lag ${lagTrend}.`,
    };
  }

  // 6. WARN
  const lagAlwaysGrew = lags.every((lag, i) => i === 0 || lag > lags[i - 1]!);
  if (!neverMoved && lagAlwaysGrew) {
    return { status: "WARN", reason: `Lag grew in every one of ${intervals} intervals, ${firstLag} → ${lastLag}.` };
  }

  // 7. OK
  if (lastLag < firstLag) {
    return { status: "OK", reason: `The consumer is catching up: lag ${firstLag} → ${lastLag} over ${plural(intervals, "interval")}.` };
  }
  const heldOrFell = lags.filter((lag, i) => i > 0 && lag <= lags[i - 1]!).length;
  return { status: "OK", reason: `Lag ${firstLag} → ${lastLag}, holding or falling in ${heldOrFell} of ${plural(intervals, "interval")}.` };
}

/**
 * A group's status from its partitions': PENDING when there is nothing to judge (no partitions, or
 * all PENDING); ERR when any partition is STALL, STOP or REWIND; WARN when any is WARN; else OK.
 * PENDING partitions next to judged ones do not hold the group back.
 */
export function evaluateGroup(partitionStatuses: readonly PartitionStatus[]): GroupStatus {
  if (partitionStatuses.every((s) => s === "PENDING")) return "PENDING";
  if (partitionStatuses.some((s) => s === "STALL" || s === "STOP" || s === "REWIND")) return "ERR";
  if (partitionStatuses.includes("WARN")) return "WARN";
  return "OK";
}
