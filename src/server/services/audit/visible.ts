// Which audit entries a reader limited to some resources may see: those about a topic, DLQ record,
// consumer group or subject in its scope. Entries about anything else (users, tokens, jobs, rules)
// are for readers who see everything.
import type { AuditEntry } from "~/server/catalog";
import type { Resource } from "~/server/services/auth/authorize";

export function auditResource(entry: Pick<AuditEntry, "targetType" | "targetId">, cluster: string): Resource | null {
  switch (entry.targetType) {
    case "topic":
      return { cluster, topics: [entry.targetId] };
    case "dlq-message":
      // `<topic>/<partition>/<offset>`: Kafka topic names cannot contain "/".
      return { cluster, topics: [entry.targetId.split("/")[0]!] };
    case "consumer-group":
      return { cluster, group: entry.targetId };
    case "event-type":
    case "schema-registry":
      return { subject: entry.targetId };
    default:
      return null;
  }
}
