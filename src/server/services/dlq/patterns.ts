// Which topics are dead-letter queues: name patterns (DLQ_TOPIC_PATTERNS) plus, where the catalog
// declares them, explicit DLQ topics. The topology and the DLQ screens share this one rule.
import { compileUserGlob } from "~/lib/user-regex";

/** Kafka Connect, Spring (DLT) and common hand-made names. */
export const DEFAULT_DLQ_TOPIC_PATTERNS = ["*.DLQ", "*.dlq", "*-dlt", "*.DLT", "dlq.*", "error.*.*"] as const;

export function parseDlqPatterns(value: string | undefined): string[] {
  const patterns = (value ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  return patterns.length ? patterns : [...DEFAULT_DLQ_TOPIC_PATTERNS];
}

/** A matcher for topic names (globs; Kafka topic names cannot contain `/`, so `*` spans any run). */
export function dlqTopicMatcher(patterns: readonly string[]): (topic: string) => boolean {
  const matchers = patterns.map(compileUserGlob);
  return (topic) => matchers.some((matches) => matches(topic));
}
