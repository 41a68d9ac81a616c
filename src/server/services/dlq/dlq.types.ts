// What the DLQ procedures take: every request schema of the area in one place. The router parses
// each request with these, once; the services take the parsed types and do not parse again. A caller
// outside a router (a test, a benchmark) parses with `parseDlqRequest`, which names the request in
// its error as the service once did.
import { z } from "zod";
import { parseOrExplain } from "~/server/errors";
import { messageFilterSchema } from "~/server/services/messages/filters";
import { TIME_RANGES } from "~/server/services/lag/queries";

export const dlqFilterSchema = messageFilterSchema.and(
  z.object({
    reason: z.string().max(4000).optional(),
    /** Default: pending only. */
    status: z.enum(["PENDING", "QUEUED", "REDRIVEN", "DISCARDED", "ALL"]).default("PENDING"),
  }),
);
/** A parsed filter (defaults filled in). */
export type DlqFilter = z.output<typeof dlqFilterSchema>;
/** Every pending record. */
export const NO_DLQ_FILTER: DlqFilter = dlqFilterSchema.parse({});

const positionSchema = z.object({ partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });
const selectionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("positions"), positions: z.array(positionSchema).min(1, "Select at least one record.").max(100_000) }),
  z.object({ kind: z.literal("filter"), filter: dlqFilterSchema }),
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
export type RedriveRequest = z.output<typeof redriveRequestSchema>;

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

export type EditRedriveRequest = z.output<typeof editRedriveSchema>;

export const discardRequestSchema = z.object({
  topic: topicName,
  selection: selectionSchema,
  reason: z.string().trim().min(3, "Say why these records are discarded.").max(1000),
});

export type DiscardRequest = z.output<typeof discardRequestSchema>;

/** A declaration names its topics in the form; an empty one gets its own message. */
const declaredTopicName = z.string().trim().min(1, "Name the topic.").max(249);

export const dlqDeclarationSchema = z.object({
  topic: declaredTopicName,
  /** The topic its failures come from: where a record whose headers name no origin is redriven. */
  sourceTopic: declaredTopicName.nullable().default(null),
  note: z.string().trim().max(1000).default(""),
});
export type DlqDeclaration = z.output<typeof dlqDeclarationSchema>;

const position = { partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() };

export const dlqHistoryInput = z.object({ topic: topicName, range: z.enum(TIME_RANGES) });
export const dlqGroupsInput = z.object({ topic: topicName, filter: dlqFilterSchema.prefault({}) });
export const dlqMessageInput = z.object({ topic: topicName, ...position });
export const checkEditInput = z.object({ value: z.string().max(1_000_000), eventType: z.string().max(200).nullable() });
export const dlqTopicInput = z.object({ topic: topicName });

/** The routers' parse, for callers outside a router; a bad request fails with the problem named. */
export const parseDlqRequest = {
  filter: (input: z.input<typeof dlqFilterSchema>): DlqFilter => parseOrExplain(dlqFilterSchema, input, "filter"),
  redrive: (input: z.input<typeof redriveRequestSchema>): RedriveRequest => parseOrExplain(redriveRequestSchema, input, "redrive"),
  edit: (input: z.input<typeof editRedriveSchema>): EditRedriveRequest => parseOrExplain(editRedriveSchema, input, "edit"),
  discard: (input: z.input<typeof discardRequestSchema>): DiscardRequest => parseOrExplain(discardRequestSchema, input, "discard"),
  declaration: (input: z.input<typeof dlqDeclarationSchema>): DlqDeclaration => parseOrExplain(dlqDeclarationSchema, input, "declaration"),
};
