// The zod request schemas of topic administration. The create form's schema is in ~/lib/new-topic.ts,
// because the browser runs the same checks before asking the server.
import { z } from "zod";
import { configNameSchema, createTopicSchema, MAX_PARTITIONS, topicNameSchema, type CreateTopicRequest } from "~/lib/new-topic";

export { createTopicSchema, MAX_PARTITIONS, type CreateTopicRequest };

export const topicRequestSchema = z.object({ topic: topicNameSchema });

export const alterConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("set"), topic: topicNameSchema, name: configNameSchema, value: z.string().max(10_000) }),
  z.object({ kind: z.literal("remove"), topic: topicNameSchema, name: configNameSchema }),
]);
export type AlterConfigRequest = z.output<typeof alterConfigSchema>;

export const addPartitionsSchema = z.object({
  topic: topicNameSchema,
  /** The total count after the change, as `kafka-topics --alter --partitions` takes it. */
  partitions: z.number().int("Partitions must be a whole number.").min(2, "A topic grows to at least 2 partitions.").max(MAX_PARTITIONS, `At most ${MAX_PARTITIONS} partitions.`),
});
export type AddPartitionsRequest = z.output<typeof addPartitionsSchema>;

export const purgeTargetSchema = z.discriminatedUnion("kind", [
  /** Delete every record before `offset` in each named partition. */
  z.object({ kind: z.literal("offsets"), offsets: z.array(z.object({ partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() })).min(1, "Name at least one partition.").max(MAX_PARTITIONS) }),
  /** Delete every record written before `timestamp` (ms since the epoch), in every partition. */
  z.object({ kind: z.literal("before-time"), timestamp: z.number().int().nonnegative() }),
  /** Delete every record: each partition up to its log end. */
  z.object({ kind: z.literal("all") }),
]);
export const purgeSchema = z.object({ topic: topicNameSchema, target: purgeTargetSchema });
export type PurgeRequest = z.output<typeof purgeSchema>;
export type PurgeTarget = z.output<typeof purgeTargetSchema>;
