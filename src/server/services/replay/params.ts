// What a replay is asked to do. The same shape is planned (dry run) in the web app and stored with
// the job, so the dry run's count and the job's work cover exactly the same records.
import { z } from "zod";
import { epochMs, messageFilterSchema } from "~/server/services/messages/filters";

const topic = z.string().trim().min(1, "Choose a topic.").max(249);

export const partitionStrategySchema = z.discriminatedUnion("kind", [
  /** Each copy goes to the partition its original was in. */
  z.object({ kind: z.literal("keep") }),
  /** The target's partitioner hashes the key (murmur2, as Java clients do); keyless records spread. */
  z.object({ kind: z.literal("hash") }),
  z.object({ kind: z.literal("fixed"), partition: z.number().int().nonnegative() }),
]);

export const rangeSchema = z.discriminatedUnion("kind", [
  /** Offsets per partition: from (inclusive) to (exclusive); partitions not listed are not read. */
  z.object({ kind: z.literal("offsets"), partitions: z.array(z.object({ partition: z.number().int().nonnegative(), from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })).min(1).max(10_000) }),
  /** A time window, resolved per partition to [first offset with timestamp ≥ from, first offset with timestamp ≥ to). */
  z.object({ kind: z.literal("time"), from: epochMs, to: epochMs, partitions: z.array(z.number().int().nonnegative()).max(10_000).optional() }),
]);

export const replayRequestSchema = z
  .object({
    sourceTopic: topic,
    range: rangeSchema,
    filter: messageFilterSchema.default({ keyMatch: "equals", jsonOperator: "=" }),
    targetTopic: topic,
    partitionStrategy: partitionStrategySchema.default({ kind: "keep" }),
    /** Records per second; none when absent. */
    ratePerSec: z.number().positive().max(1_000_000).nullable().default(null),
    /** Stop after writing this many records; none when absent. */
    maxCount: z.number().int().positive().nullable().default(null),
  })
  .superRefine((r, ctx) => {
    if (r.range.kind === "time" && r.range.from >= r.range.to) ctx.addIssue({ code: "custom", path: ["range", "to"], message: "The time window ends before it starts." });
    if (r.range.kind === "offsets") {
      for (const p of r.range.partitions) if (p.from > p.to) ctx.addIssue({ code: "custom", path: ["range", "partitions"], message: `Partition ${p.partition}: the range ends (${p.to}) before it starts (${p.from}).` });
      const seen = new Set<number>();
      for (const p of r.range.partitions) {
        if (seen.has(p.partition)) ctx.addIssue({ code: "custom", path: ["range", "partitions"], message: `Partition ${p.partition} is listed twice.` });
        seen.add(p.partition);
      }
    }
  });

export type ReplayRequest = z.input<typeof replayRequestSchema>;
export type ParsedReplayRequest = z.output<typeof replayRequestSchema>;

export interface ResolvedRange {
  partition: number;
  /** First offset to read. */
  from: number;
  /** Exclusive end. */
  to: number;
}

/** What the job stores: the request plus the ranges its dry run resolved. */
export const replayJobParamsSchema = z.object({
  request: replayRequestSchema,
  ranges: z.array(z.object({ partition: z.number().int().nonnegative(), from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })).min(1).max(10_000),
  /** The dry run's count of records that would be written. */
  dryRunCount: z.number().int().nonnegative(),
  /** One per submission in the browser: a repeated submit returns the job the first one started. */
  idempotencyKey: z.uuid().optional(),
});

export type ReplayJobParams = z.output<typeof replayJobParamsSchema>;

/** Headers every copy carries, so consumers can deduplicate and Signalbox can prove what it wrote. */
export const REPLAY_OF_HEADER = "x-replay-of";
export const REPLAY_JOB_HEADER = "x-replay-job";
