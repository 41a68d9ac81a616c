// Which topics each DLQ's records came from, as their headers say (the DLQ index the worker keeps),
// for the topology's "dead letters from" links.
import "server-only";
import { getDb } from "./db";

export interface DeadLetterOriginRow {
  topic: string;
  originTopic: string;
  records: number;
}

export async function readDeadLetterOrigins(clusterName: string): Promise<DeadLetterOriginRow[]> {
  const rows = await getDb().dlqRecord.groupBy({
    by: ["topic", "originTopic"],
    where: { clusterName, originTopic: { not: null } },
    _count: { _all: true },
    orderBy: [{ topic: "asc" }, { originTopic: "asc" }],
  });
  return rows.flatMap((r) => (r.originTopic === null ? [] : [{ topic: r.topic, originTopic: r.originTopic, records: r._count._all }]));
}
