// Registry subjects and event types. Every event type is a subject under its own name (what
// Confluent's RecordNameStrategy produces for a JSON Schema whose title is that name), and a topic
// bound to exactly one event type also answers to `<topic>-value` (the default TopicNameStrategy).
// A topic that carries several event types has no `<topic>-value` subject: one subject cannot hold
// several independent schemas, so clients use the per-type subjects there.
import { findEventType, listEventTypeVersionCounts, listTopicBindings } from "~/server/catalog";
import { isValidEventTypeName } from "./event-types";
import { VALUE_SUFFIX } from "./topic-subjects";

export type SubjectResolution =
  | { kind: "event-type"; eventType: string }
  | { kind: "ambiguous"; topic: string; eventTypes: string[] }
  | { kind: "unknown"; topic: string | null };

export function topicOfSubject(subject: string): string | null {
  return subject.endsWith(VALUE_SUFFIX) && subject.length > VALUE_SUFFIX.length ? subject.slice(0, -VALUE_SUFFIX.length) : null;
}

/** An event type's own name wins; otherwise `<topic>-value` maps through the topic's binding. */
export async function resolveSubject(subject: string, clusterName: string): Promise<SubjectResolution> {
  if (await findEventType(subject)) return { kind: "event-type", eventType: subject };
  const topic = topicOfSubject(subject);
  if (!topic) return { kind: "unknown", topic: null };
  const bound = [...new Set((await listTopicBindings(clusterName)).filter((b) => b.topic === topic).map((b) => b.eventType))];
  if (bound.length === 1) return { kind: "event-type", eventType: bound[0]! };
  if (bound.length > 1) return { kind: "ambiguous", topic, eventTypes: bound.sort() };
  return { kind: "unknown", topic };
}

/**
 * Every subject: the event type names, and `<topic>-value` for each topic bound to exactly one event
 * type. A subject whose versions are all soft-deleted is listed only with `includeDeleted`.
 */
export async function listSubjects(clusterName: string, options: { includeDeleted?: boolean } = {}): Promise<string[]> {
  const [counts, bindings] = await Promise.all([listEventTypeVersionCounts(), listTopicBindings(clusterName)]);
  const listed = new Set(counts.filter((c) => c.live > 0 || (options.includeDeleted && c.deleted > 0)).map((c) => c.name));
  const names = [...listed];
  const byTopic = new Map<string, Set<string>>();
  for (const b of bindings) byTopic.set(b.topic, (byTopic.get(b.topic) ?? new Set()).add(b.eventType));
  const topicSubjects = [...byTopic.entries()].filter(([, types]) => types.size === 1 && listed.has([...types][0]!)).map(([topic]) => `${topic}${VALUE_SUFFIX}`);
  return [...new Set([...names, ...topicSubjects])].sort();
}

/** The subjects an event type answers to. */
export async function subjectsOf(eventType: string, clusterName: string): Promise<string[]> {
  const bindings = await listTopicBindings(clusterName);
  const subjects = [eventType];
  for (const b of bindings.filter((x) => x.eventType === eventType)) {
    if (bindings.filter((x) => x.topic === b.topic).length === 1) subjects.push(`${b.topic}${VALUE_SUFFIX}`);
  }
  return [...new Set(subjects)];
}

/**
 * A subject registered for the first time becomes an event type. For `<topic>-value` it is named
 * after the schema's title when that is a free, valid name (so a client's TopicNameStrategy and the
 * catalog's names meet), else after the subject; and it is bound to the topic.
 */
export async function newEventTypeForSubject(subject: string, clusterName: string, schemaTitle: string | null): Promise<{ name: string; topics: { clusterName: string; topic: string }[] }> {
  const topic = topicOfSubject(subject);
  if (!topic) return { name: subject, topics: [] };
  const titleUsable = schemaTitle !== null && isValidEventTypeName(schemaTitle) && !(await findEventType(schemaTitle));
  return { name: titleUsable ? schemaTitle : subject, topics: [{ clusterName, topic }] };
}
