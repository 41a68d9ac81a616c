// Where a redrive will write, for the access check before it starts. A redrive "to the original
// topics" writes each record to the topic its headers name (else the fallback, else the DLQ's
// declared source), so a support person scoped to the DLQ alone could otherwise write into topics
// outside their scope. The check covers every topic the selected records can reach. The parking lot
// the attempt cap diverts to is the DLQ's own side topic, and is not checked apart from the DLQ.
export function redriveDestinations(options: {
  targetTopic: string | null | undefined;
  fallbackTopic: string | null | undefined;
  declaredSource: string | null;
  /** The original topics the selected records name; null for records that name none. */
  origins: (string | null)[];
}): string[] {
  if (options.targetTopic) return [options.targetTopic];
  const destinations = new Set<string>();
  for (const origin of options.origins) {
    const topic = origin ?? options.fallbackTopic ?? options.declaredSource;
    if (topic) destinations.add(topic);
  }
  return [...destinations].sort();
}
