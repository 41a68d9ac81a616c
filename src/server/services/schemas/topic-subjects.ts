// The registry subjects that topic bindings give: a topic bound to exactly one event type answers to
// `<topic>-value` (Confluent's default TopicNameStrategy) for that event type. Pure, so both the
// registry's listing (subjects.ts) and the binding changes (event-types.ts) use the same rule.
import type { TopicRef } from "~/server/catalog";

export const VALUE_SUFFIX = "-value";

export const valueSubjectOf = (topic: string) => `${topic}${VALUE_SUFFIX}`;

/**
 * What removing `eventType`'s bindings to `removed` does to the `<topic>-value` subjects, given every
 * binding on those topics before: a topic it alone was bound to loses its subject (the schemas stay
 * under the event type's own subject); a topic left with exactly one other event type gains the
 * subject for that one.
 */
export function topicSubjectChanges(
  eventType: string,
  removed: TopicRef[],
  before: (TopicRef & { eventType: string })[],
): { removed: string[]; reassigned: { subject: string; eventType: string }[] } {
  const changes: { removed: string[]; reassigned: { subject: string; eventType: string }[] } = { removed: [], reassigned: [] };
  for (const binding of removed) {
    const typesBefore = new Set(before.filter((b) => b.clusterName === binding.clusterName && b.topic === binding.topic).map((b) => b.eventType));
    if (!typesBefore.has(eventType)) continue;
    const typesAfter = [...typesBefore].filter((t) => t !== eventType);
    const subject = valueSubjectOf(binding.topic);
    if (typesBefore.size === 1) changes.removed.push(subject);
    else if (typesAfter.length === 1) changes.reassigned.push({ subject, eventType: typesAfter[0]! });
  }
  return changes;
}
