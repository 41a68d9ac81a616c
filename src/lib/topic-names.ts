// Kafka's rules for topic names (org.apache.kafka.common.internals.Topic), shared by the create form
// in the browser and the server, so both refuse the same names with the same words.

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why Kafka would refuse `name` as a topic name, or null. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return "Name the topic.";
  if (name === "." || name === "..") return `A topic cannot be named "${name}".`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `A topic name is at most ${MAX_TOPIC_NAME_LENGTH} characters; this one has ${name.length}.`;
  if (!LEGAL.test(name)) {
    const bad = [...new Set([...name].filter((c) => !LEGAL.test(c)))].map((c) => (c === " " ? "space" : `"${c}"`));
    return `A topic name may only contain letters, digits, ".", "_" and "-"; this one has ${bad.join(", ")}.`;
  }
  return null;
}

/**
 * Kafka's metric names replace "." with "_", so "a.b" and "a_b" would share metrics: Kafka refuses a
 * name that collides with an existing topic, and warns about a name that has both characters' kind.
 */
export function topicCollision(name: string, existing: string[]): { collidesWith: string | null; warning: string | null } {
  const key = (n: string) => n.replaceAll(".", "_");
  const collidesWith = existing.find((e) => e !== name && key(e) === key(name)) ?? null;
  const warning = /[._]/.test(name) ? 'Because of limitations in metric names, topics with a period (".") or underscore ("_") could collide. To avoid issues it is best to use either, but not both.' : null;
  return { collidesWith, warning };
}

/** Kafka's own topics (__consumer_offsets, __transaction_state, …) and other "__" topics are not administered here. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith("__");
}
