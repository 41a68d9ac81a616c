// The system as the catalog declares it, for one cluster, in the shape the topology builds from.
import "server-only";
import { getDb } from "./db";

export interface DeclaredSystemRows {
  services: { name: string; team: string | null; description: string | null }[];
  eventTypes: { name: string; domain: string | null; owner: string | null }[];
  bindings: { eventType: string; topic: string }[];
  producers: { service: string; eventType: string }[];
  subscriptions: { service: string; eventType: string; topic: string; consumerGroupId: string }[];
}

export async function readDeclaredSystem(clusterName: string): Promise<DeclaredSystemRows> {
  const db = getDb();
  const [services, eventTypes, bindings, producers, subscriptions] = await Promise.all([
    db.service.findMany({ select: { name: true, team: true, description: true }, orderBy: { name: "asc" } }),
    db.eventType.findMany({ select: { name: true, domain: true, owner: true }, orderBy: { name: "asc" } }),
    db.topicBinding.findMany({ where: { clusterName }, select: { topic: true, eventType: { select: { name: true } } } }),
    db.producer.findMany({ select: { service: { select: { name: true } }, eventType: { select: { name: true } } } }),
    db.subscription.findMany({
      where: { clusterName },
      select: { topic: true, consumerGroupId: true, service: { select: { name: true } }, eventType: { select: { name: true } } },
    }),
  ]);
  return {
    services: services.map((s) => ({ name: s.name, team: s.team || null, description: s.description || null })),
    eventTypes: eventTypes.map((e) => ({ name: e.name, domain: e.domain || null, owner: e.owner || null })),
    bindings: bindings.map((b) => ({ eventType: b.eventType.name, topic: b.topic })),
    producers: producers.map((p) => ({ service: p.service.name, eventType: p.eventType.name })),
    subscriptions: subscriptions.map((s) => ({ service: s.service.name, eventType: s.eventType.name, topic: s.topic, consumerGroupId: s.consumerGroupId })),
  };
}
