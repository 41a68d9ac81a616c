// Producers inferred from recent messages (Kafka does not record who produces to a topic).
// The worker's producer sampler writes them; the topology reads them.
import "server-only";
import { getDb } from "./db";

export interface ProducerObservation {
  topic: string;
  service: string;
  /** "" when the messages do not name an event type. */
  eventType: string;
  messages: number;
  lastSeen: Date;
}

export interface ObservedProducerRow extends ProducerObservation {
  firstSeen: Date;
}

/** How long a producer sighting is kept; the topology only draws recent ones. */
export const OBSERVED_PRODUCER_RETENTION_MS = 7 * 24 * 3_600_000;

export async function recordProducerObservations(
  clusterName: string,
  observations: ProducerObservation[],
  run: { sampledAt: Date; topics: number; records: number },
): Promise<void> {
  const db = getDb();
  await db.$transaction([
    ...observations.map((o) =>
      db.observedProducer.upsert({
        where: { clusterName_topic_service_eventType: { clusterName, topic: o.topic, service: o.service, eventType: o.eventType } },
        create: { clusterName, ...o, firstSeen: o.lastSeen },
        update: { messages: o.messages, lastSeen: o.lastSeen },
      }),
    ),
    db.producerSamplerRun.upsert({ where: { clusterName }, create: { clusterName, ...run }, update: run }),
    db.observedProducer.deleteMany({ where: { clusterName, lastSeen: { lt: new Date(run.sampledAt.getTime() - OBSERVED_PRODUCER_RETENTION_MS) } } }),
  ]);
}

export async function readObservedProducers(clusterName: string): Promise<{ sampledAt: Date | null; producers: ObservedProducerRow[] }> {
  const db = getDb();
  const [run, producers] = await Promise.all([
    db.producerSamplerRun.findUnique({ where: { clusterName } }),
    db.observedProducer.findMany({ where: { clusterName }, orderBy: [{ topic: "asc" }, { service: "asc" }] }),
  ]);
  return {
    sampledAt: run?.sampledAt ?? null,
    producers: producers.map((p) => ({ topic: p.topic, service: p.service, eventType: p.eventType, messages: p.messages, firstSeen: p.firstSeen, lastSeen: p.lastSeen })),
  };
}
