import { describe, expect, it } from "vitest";
import { createTopicSchema, dlqTemplate, DLQ_RETENTION_MS } from "./new-topic";

describe("dlqTemplate", () => {
  it("names the DLQ after its source, with the source's partitions and 14 days' retention", () => {
    expect(dlqTemplate("payments", 6)).toEqual({ topic: "payments.DLQ", partitions: 6, configEntries: [{ name: "retention.ms", value: String(DLQ_RETENTION_MS) }] });
    expect(DLQ_RETENTION_MS).toBe(1_209_600_000);
  });

  it("gives a name the schema refuses when the source's name is too long for the suffix", () => {
    const t = dlqTemplate("a".repeat(246), 1);
    expect(createTopicSchema.safeParse({ topic: t.topic, partitions: 1, replicationFactor: 1 }).error?.issues[0]?.message).toBe("A topic name is at most 249 characters; this one has 250.");
  });
});

