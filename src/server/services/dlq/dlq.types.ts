// What the DLQ procedures take: every request schema of the area in one place. The router parses
// each request with these; the services take the same schemas' types (and check again when called
// directly, from the worker or a test).
import { z } from "zod";
import { messageFilterSchema } from "~/server/services/messages/filters";
import { TIME_RANGES } from "~/server/services/lag/queries";

export const dlqFilterSchema = messageFilterSchema.and(
  z.object({
    reason: z.string().max(4000).optional(),
    /** Default: pending only. */
    status: z.enum(["PENDING", "QUEUED", "REDRIVEN", "DISCARDED", "ALL"]).default("PENDING"),
  }),
);
export type DlqFilter = z.input<typeof dlqFilterSchema>;

const positionSchema = z.object({ partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });
const selectionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("positions"), positions: z.array(positionSchema).min(1, "Select at least one record.").max(100_000) }),
  z.object({ kind: z.literal("filter"), filter: z.custom<DlqFilter>((v) => typeof v === "object" && v !== null) }),
]);
export type Selection = z.output<typeof selectionSchema>;
const topicName = z.string().trim().min(1).max(249);

export const redriveRequestSchema = z.object({
  topic: topicName,
  selection: selectionSchema,
  /** Null: each record's original topic. */
  targetTopic: topicName.nullable().default(null),
  /** For records whose headers name no source topic (default: the catalog's declared source). */
  fallbackTopic: topicName.nullable().default(null),
  ratePerSec: z.number().positive().max(1_000_000).nullable().default(null),
  /** One per submission in the browser: a repeated submit returns the job the first one started. */
  idempotencyKey: z.uuid().optional(),
});
export type RedriveRequest = z.input<typeof redriveRequestSchema>;

export const editRedriveSchema = z.object({
  topic: topicName,
  partition: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  /** The edited value: JSON text. */
  value: z.string().max(1_000_000),
  targetTopic: topicName.nullable().default(null),
  fallbackTopic: topicName.nullable().default(null),
  idempotencyKey: z.uuid().optional(),
});

export const discardRequestSchema = z.object({
  topic: topicName,
  selection: selectionSchema,
  reason: z.string().trim().min(3, "Say why these records are discarded.").max(1000),
});

/** A declaration names its topics in the form; an empty one gets its own message. */
const declaredTopicName = z.string().trim().min(1, "Name the topic.").max(249);

export const dlqDeclarationSchema = z.object({
  topic: declaredTopicName,
  /** The topic its failures come from: where a record whose headers name no origin is redriven. */
  sourceTopic: declaredTopicName.nullable().default(null),
  note: z.string().trim().max(1000).default(""),
});

const position = { partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() };

export const dlqHistoryInput = z.object({ topic: topicName, range: z.enum(TIME_RANGES) });
export const dlqGroupsInput = z.object({ topic: topicName, filter: dlqFilterSchema.optional() });
export const dlqMessageInput = z.object({ topic: topicName, ...position });
export const checkEditInput = z.object({ value: z.string().max(1_000_000), eventType: z.string().max(200).nullable() });
export const dlqTopicInput = z.object({ topic: topicName });
