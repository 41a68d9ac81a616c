// The zod request schemas of topic administration, shared by the router and the create form (which
// runs the same checks in the browser before asking the server).
import { z } from "zod";
import { MAX_TOPIC_NAME_LENGTH, topicNameProblem } from "~/lib/topic-names";

/** A new topic's name, by Kafka's rules (org.apache.kafka.common.internals.Topic.validate). */
export const newTopicNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = topicNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** An existing topic's name: only its length is checked here; the broker says whether it exists. */
export const topicNameSchema = z.string().min(1, "Name the topic.").max(MAX_TOPIC_NAME_LENGTH);

const configNameSchema = z
  .string()
  .trim()
  .min(1, "A configuration entry needs a name.")
  .max(255)
  .regex(/^[a-z0-9._-]+$/, "A configuration name is lower case with dots, e.g. retention.ms.");

export const configEntrySchema = z.object({ name: configNameSchema, value: z.string().max(10_000) });

/** Kafka's own ceiling is far higher; this keeps a typo (100000) from creating a broken topic. */
export const MAX_PARTITIONS = 10_000;

export const createTopicSchema = z.object({
  topic: newTopicNameSchema,
  partitions: z.number({ error: "Partitions must be a whole number." }).int("Partitions must be a whole number.").min(1, "A topic needs at least 1 partition.").max(MAX_PARTITIONS, `At most ${MAX_PARTITIONS} partitions.`),
  replicationFactor: z.number({ error: "The replication factor must be a whole number." }).int("The replication factor must be a whole number.").min(1, "The replication factor is at least 1.").max(32767),
  configEntries: z
    .array(configEntrySchema)
    .max(200)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      for (const [i, e] of entries.entries()) {
        if (seen.has(e.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `${e.name} is set twice.` });
        seen.add(e.name);
      }
    })
    .default([]),
});
export type CreateTopicRequest = z.output<typeof createTopicSchema>;

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
