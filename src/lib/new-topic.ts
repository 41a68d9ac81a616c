// A new topic's request and Signalbox's templates for it: shared by the create form, which checks a
// request in the browser before asking the server, and the server, which checks it again.
import { z } from "zod";
import { MAX_TOPIC_NAME_LENGTH, topicNameProblem } from "./topic-names";

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

export const configNameSchema = z
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


/** How long Signalbox's DLQ template keeps dead letters: long enough to be looked at after a holiday. */
export const DLQ_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
export const DLQ_SUFFIX = ".DLQ";

/** The DLQ template for `source`: `<source>.DLQ`, the source's partition count, two weeks' retention. */
export function dlqTemplate(source: string, sourcePartitions: number): { topic: string; partitions: number; configEntries: { name: string; value: string }[] } {
  return { topic: `${source}${DLQ_SUFFIX}`, partitions: sourcePartitions, configEntries: [{ name: "retention.ms", value: String(DLQ_RETENTION_MS) }] };
}
