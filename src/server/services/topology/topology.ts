// The topology as the API serves it: the catalog's declared system merged with the broker's view
// (the lag sampler's latest snapshot and the producers seen in recent messages), plus the catalog
// writes that fix drift ("declare this subscription", "declare this producer").
import type { Env } from "~/env";
import { INTERNAL_GROUP_PREFIX } from "~/lib/internal-groups";
import {
  addTopicBindings,
  ensureProducer,
  ensureService,
  ensureSubscription,
  findEventType,
  listDlqDeclarations,
  readDeadLetterOrigins,
  readDeclaredSystem,
  readObservedProducers,
  writeAudit,
  type Actor,
} from "~/server/catalog";
import { AppError } from "~/server/errors";
import { dlqIndexSummaries } from "~/server/services/dlq/dlq";
import { parseDlqPatterns } from "~/server/services/dlq/patterns";
import { dlqTopicRule } from "~/server/services/dlq/topics";
import { latestSnapshot } from "~/server/services/lag/queries";
import type { LagSnapshot } from "~/server/services/lag/types";
import { buildTopology } from "./build";
import type { ObservedSystem, Topology } from "./types";

export function observedFromSnapshot(snapshot: LagSnapshot | null, producers: Awaited<ReturnType<typeof readObservedProducers>>): ObservedSystem {
  return {
    sampledAt: snapshot?.takenAt ?? null,
    topics: (snapshot?.topics ?? []).map((t) => ({ topic: t.topic, partitions: t.partitions.length, produceRate: t.produceRate })),
    groups: (snapshot?.groups ?? []).map((g) => {
      const topics = new Set(g.partitions.map((p) => p.topic));
      for (const m of g.members) for (const a of m.assignments) topics.add(a.topic);
      return {
        groupId: g.groupId,
        state: g.state,
        status: g.status,
        totalLag: g.totalLag,
        maxLagSeconds: g.maxLagSeconds,
        consumeRate: g.consumeRate,
        // Snapshots written before per-topic rates existed lack the field.
        consumeRateByTopic: g.consumeRateByTopic ?? {},
        topics: [...topics].sort(),
        memberClientIds: g.members.map((m) => m.clientId),
        members: g.members.length,
      };
    }),
    producersSampledAt: producers.sampledAt?.getTime() ?? null,
    producers: producers.producers.map((p) => ({ topic: p.topic, service: p.service, eventType: p.eventType || null, messages: p.messages, lastSeen: p.lastSeen.getTime() })),
  };
}

export async function getTopology(env: Env, clusterName: string, now = Date.now()): Promise<Topology> {
  const [snapshot, declared, producers, isDlqTopic, dlqDeclarations, deadLetterOrigins, dlqSummaries] = await Promise.all([
    latestSnapshot(clusterName),
    readDeclaredSystem(clusterName),
    readObservedProducers(clusterName),
    dlqTopicRule(clusterName),
    listDlqDeclarations(clusterName),
    readDeadLetterOrigins(clusterName),
    dlqIndexSummaries(clusterName, now),
  ]);
  const growingDlqs = dlqSummaries.filter((d) => d.growing).map((d) => d.topic);
  return buildTopology({ ...declared, dlqDeclarations }, { ...observedFromSnapshot(snapshot, producers), deadLetterOrigins, growingDlqs }, {
    cluster: clusterName,
    now,
    producerRecentMs: env.TOPOLOGY_PRODUCER_RECENT_MS,
    isDlqTopic,
    dlqPatterns: parseDlqPatterns(env.DLQ_TOPIC_PATTERNS),
    isInternalGroup: (groupId) => groupId.startsWith(INTERNAL_GROUP_PREFIX),
  });
}

export interface ServiceRef {
  name: string;
  /** Needed only when the service is new to the catalog. */
  team?: string;
}

async function ensureServiceFor(ref: ServiceRef): Promise<boolean> {
  const created = await ensureService({ name: ref.name, team: ref.team?.trim() || "unassigned", description: "", links: [] });
  return created;
}

async function requireEventTypes(names: string[]): Promise<void> {
  const missing: string[] = [];
  for (const name of names) if (!(await findEventType(name))) missing.push(name);
  if (missing.length) {
    throw new AppError("BAD_REQUEST", `Register the event type${missing.length > 1 ? "s" : ""} ${missing.join(", ")} in Schemas first; the catalog does not know ${missing.length > 1 ? "them" : "it"}.`);
  }
}

/** "Declare this subscription": the service consumes each event type from each topic as the group. */
export async function declareSubscription(
  actor: Actor,
  clusterName: string,
  input: { service: ServiceRef; consumerGroupId: string; topics: string[]; eventTypes: string[] },
): Promise<{ created: number; serviceCreated: boolean }> {
  if (input.eventTypes.length === 0) throw new AppError("BAD_REQUEST", "Pick at least one event type the group consumes.");
  if (input.topics.length === 0) throw new AppError("BAD_REQUEST", "Pick at least one topic the group reads.");
  await requireEventTypes(input.eventTypes);
  const serviceCreated = await ensureServiceFor(input.service);
  let created = 0;
  for (const topic of input.topics) {
    for (const eventType of input.eventTypes) {
      const added = await ensureSubscription({ clusterName, topic, serviceName: input.service.name, eventTypeName: eventType, consumerGroupId: input.consumerGroupId });
      if (added) created += 1;
    }
  }
  await writeAudit({
    actor,
    action: "topology.declareSubscription",
    targetType: "consumerGroup",
    targetId: input.consumerGroupId,
    details: { cluster: clusterName, service: input.service.name, serviceCreated, topics: input.topics, eventTypes: input.eventTypes, subscriptionsCreated: created },
  });
  return { created, serviceCreated };
}

/** "Declare this producer": the service produces each event type, and each travels on the topic. */
export async function declareProducer(
  actor: Actor,
  clusterName: string,
  input: { service: ServiceRef; eventTypes: string[]; topic: string },
): Promise<{ producersCreated: number; bindingsCreated: number; serviceCreated: boolean }> {
  if (input.eventTypes.length === 0) throw new AppError("BAD_REQUEST", "Pick at least one event type the service sends.");
  await requireEventTypes(input.eventTypes);
  const serviceCreated = await ensureServiceFor(input.service);
  let producersCreated = 0;
  let bindingsCreated = 0;
  for (const eventType of input.eventTypes) {
    if ((await ensureProducer(input.service.name, eventType)) === true) producersCreated += 1;
    bindingsCreated += (await addTopicBindings(eventType, [{ clusterName, topic: input.topic }]))?.length ?? 0;
  }
  await writeAudit({
    actor,
    action: "topology.declareProducer",
    targetType: "service",
    targetId: input.service.name,
    details: { cluster: clusterName, eventTypes: input.eventTypes, topic: input.topic, serviceCreated, producersCreated, bindingsCreated },
  });
  return { producersCreated, bindingsCreated, serviceCreated };
}
