// The vocabulary of durable jobs, shared by every job kind (replay now, DLQ redrive next), the
// worker's runner and the API.
import type { z } from "zod";
import type { Logger } from "~/lib/logger";
import type { ClusterConnectionConfig } from "~/server/broker";
import type { Pacer } from "./pacer";

export interface JobProgress {
  /** Source records read so far. */
  read: number;
  /** Records that passed the filters. */
  matched: number;
  /** Records written (committed) to the target. */
  written: number;
  /** Source records the job reads in all, when known. */
  toRead: number | null;
  /** Records the job expects to write in all (the dry run's count), when known. */
  expected: number | null;
  /** Records written per second, over the last few seconds. */
  ratePerSec: number | null;
  /** Seconds left at the current rate; null when unknown. */
  etaSeconds: number | null;
  /** Epoch ms of this report. */
  updatedAt: number;
}

export const EMPTY_PROGRESS: JobProgress = { read: 0, matched: 0, written: 0, toRead: null, expected: null, ratePerSec: null, etaSeconds: null, updatedAt: 0 };

/**
 * Without a rate limit, an exactly-once job (replay, redrive) commits a writer's transaction once it
 * is this old (or big enough). A commit costs the writer about eight round trips one after another
 * (coordinator look-ups, AddOffsetsToTxn, TxnOffsetCommit, EndTxn, then the next transaction's
 * AddPartitionsToTxn): 0.3-0.5 s each on the shared 2-core machine, which was a third of a writer's
 * time at one commit a second (docs/messages-and-replay.md, Benchmark). The bound is also what a
 * crash redoes per writer, and how late read_committed readers of the target see copies; it stays
 * far below the producers' 60 s transaction timeout.
 */
export const COMMIT_INTERVAL_MS = 5_000;

/** Why a running job was asked to stop at its next checkpoint. */
export type StopReason = "pause" | "cancel" | "shutdown";

export interface JobContext<P> {
  job: { id: number; key: string; kind: string; params: P; createdBy: string; attempts: number };
  cluster: ClusterConnectionConfig;
  /** Why the job should stop at its next checkpoint, or null to go on. Cheap: call it between batches. */
  stopRequested(): Promise<StopReason | null>;
  /** Aborts when a stop is requested, so waits (rate limiting) end early. */
  signal: AbortSignal;
  /** Reports progress; persisted and announced at most a few times a second. */
  progress(progress: Omit<JobProgress, "ratePerSec" | "etaSeconds" | "updatedAt">): void;
  /** Paces writes to the job's rate limit (no-op without one). */
  pacer: Pacer;
  log: Logger;
}

export type JobRunResult =
  /** Everything the job had to do is done (or its maximum count reached). */
  | { outcome: "finished"; note?: string }
  /** It stopped at a checkpoint because `stopRequested()` said so. */
  | { outcome: "stopped" };

/** One kind of durable job: how to validate its parameters and how to run it. */
export interface JobHandler<P> {
  kind: string;
  paramsSchema: z.ZodType<P>;
  /** The rate limit in records per second, or null for none (read from the parameters). */
  ratePerSec(params: P): number | null;
  /**
   * Runs (or resumes) the job. It must be safe to call again after a crash at any point: resume
   * from the job's own durable checkpoint and never write a record twice.
   */
  run(ctx: JobContext<P>): Promise<JobRunResult>;
  /** Releases what the job kept while it could still resume (e.g. its checkpoint group), once it is over. */
  cleanup?(job: { id: number; key: string; params: P }, cluster: ClusterConnectionConfig): Promise<void>;
}
