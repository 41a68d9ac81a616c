// Builds the topology graph from what the catalog declares and what the broker shows, and lists
// where the two disagree (drift). Pure: the inputs are plain data, so every rule is unit-tested.
import { deadLetterLinks } from "./dead-letters";
import type {
  BuildOptions,
  DeadLetterEvidence,
  DeclaredSystem,
  DriftItem,
  EdgeKind,
  GroupNode,
  ObservedSystem,
  Provenance,
  ServiceNode,
  Topology,
  TopologyEdge,
  TopicNode,
} from "./types";

export const nodeId = {
  service: (name: string) => `service:${name}`,
  topic: (name: string) => `topic:${name}`,
  group: (id: string) => `group:${id}`,
};

const edgeId = (type: EdgeKind, from: string, to: string) => `${type}:${from}->${to}`;

function provenance(declared: boolean, observed: boolean): Provenance {
  return declared && observed ? "both" : declared ? "declared" : "observed";
}

interface Seen {
  declared: boolean;
  observed: boolean;
}

interface EdgeDraft extends Seen {
  type: EdgeKind;
  from: string;
  to: string;
  eventTypes: Set<string>;
  evidence?: DeadLetterEvidence[];
}

/**
 * Evidence from the catalog makes a dead-letter edge declared, evidence from the broker (records,
 * names) observed; an inference from the graph (only-reader, name-match) is neither by itself.
 */
const DECLARED_EVIDENCE: readonly DeadLetterEvidence[] = ["catalog"];
const OBSERVED_EVIDENCE: readonly DeadLetterEvidence[] = ["record-headers", "topic-name", "sampled-writer"];

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildTopology(declared: DeclaredSystem, observed: ObservedSystem, options: BuildOptions): Topology {
  const isInternalTopic = (topic: string) => topic.startsWith("__");
  const liveGroups = observed.groups.filter((g) => !options.isInternalGroup(g.groupId));
  const brokerTopics = new Map(observed.topics.filter((t) => !isInternalTopic(t.topic)).map((t) => [t.topic, t]));
  const recentProducers = observed.producers.filter((p) => options.now - p.lastSeen <= options.producerRecentMs);
  const eventTypeInfo = new Map(declared.eventTypes.map((e) => [e.name, e]));

  // Which topics carry which event type, as declared.
  const topicsOfEventType = new Map<string, string[]>();
  const eventTypesOfTopic = new Map<string, Set<string>>();
  for (const b of declared.bindings) {
    topicsOfEventType.set(b.eventType, [...(topicsOfEventType.get(b.eventType) ?? []), b.topic]);
    eventTypesOfTopic.set(b.topic, (eventTypesOfTopic.get(b.topic) ?? new Set()).add(b.eventType));
  }

  // ── Nodes ────────────────────────────────────────────────────────────────────────────────
  const services = new Map<string, Seen & { team: string | null; description: string | null }>();
  for (const s of declared.services) services.set(s.name, { declared: true, observed: false, team: s.team, description: s.description });
  const markService = (name: string, how: "declared" | "observed") => {
    const s = services.get(name) ?? { declared: false, observed: false, team: null, description: null };
    s[how] = true;
    services.set(name, s);
  };

  const topics = new Map<string, Seen>();
  const markTopic = (name: string, how: "declared" | "observed") => {
    const t = topics.get(name) ?? { declared: false, observed: false };
    t[how] = true;
    topics.set(name, t);
  };
  for (const b of declared.bindings) markTopic(b.topic, "declared");
  for (const s of declared.subscriptions) markTopic(s.topic, "declared");
  for (const name of brokerTopics.keys()) markTopic(name, "observed");

  const groups = new Map<string, Seen>();
  const markGroup = (id: string, how: "declared" | "observed") => {
    const g = groups.get(id) ?? { declared: false, observed: false };
    g[how] = true;
    groups.set(id, g);
  };
  for (const s of declared.subscriptions) markGroup(s.consumerGroupId, "declared");
  for (const g of liveGroups) markGroup(g.groupId, "observed");

  // ── Edges ────────────────────────────────────────────────────────────────────────────────
  const edges = new Map<string, EdgeDraft>();
  const markEdge = (type: EdgeKind, from: string, to: string, how: "declared" | "observed", eventTypes: Iterable<string> = []) => {
    const id = edgeId(type, from, to);
    const e = edges.get(id) ?? { type, from, to, declared: false, observed: false, eventTypes: new Set<string>() };
    e[how] = true;
    for (const t of eventTypes) e.eventTypes.add(t);
    edges.set(id, e);
  };

  for (const p of declared.producers) {
    markService(p.service, "declared");
    for (const topic of topicsOfEventType.get(p.eventType) ?? []) markEdge("produces", nodeId.service(p.service), nodeId.topic(topic), "declared", [p.eventType]);
  }
  for (const s of declared.subscriptions) {
    markService(s.service, "declared");
    markEdge("consumed-by", nodeId.topic(s.topic), nodeId.group(s.consumerGroupId), "declared", [s.eventType]);
    markEdge("runs-as", nodeId.group(s.consumerGroupId), nodeId.service(s.service), "declared", [s.eventType]);
  }

  // Producers seen in recent messages (envelope `source` or a configured header).
  const sampledShare = new Map<string, Map<string, number>>(); // topic → service → sampled messages
  const observedEventTypesOfTopic = new Map<string, Set<string>>();
  for (const p of recentProducers) {
    // A sighting on a topic that has since been deleted is history, not topology.
    if (!brokerTopics.has(p.topic)) continue;
    markService(p.service, "observed");
    markEdge("produces", nodeId.service(p.service), nodeId.topic(p.topic), "observed", p.eventType ? [p.eventType] : []);
    const shares = sampledShare.get(p.topic) ?? new Map<string, number>();
    shares.set(p.service, (shares.get(p.service) ?? 0) + p.messages);
    sampledShare.set(p.topic, shares);
    if (p.eventType) observedEventTypesOfTopic.set(p.topic, (observedEventTypesOfTopic.get(p.topic) ?? new Set()).add(p.eventType));
  }

  const knownServices = () => new Set(services.keys());
  for (const g of liveGroups) {
    for (const topic of g.topics) {
      if (!brokerTopics.has(topic)) continue;
      markEdge("consumed-by", nodeId.topic(topic), nodeId.group(g.groupId), "observed");
    }
    // Kafka does not record which service a group belongs to; a member whose client id names a
    // known service is the evidence we have.
    const names = knownServices();
    for (const clientId of new Set(g.memberClientIds)) {
      if (names.has(clientId)) {
        markService(clientId, "observed");
        markEdge("runs-as", nodeId.group(g.groupId), nodeId.service(clientId), "observed");
      }
    }
  }

  // ── Dead letters ─────────────────────────────────────────────────────────────────────────
  // Writing to a DLQ is not producing events: such an edge becomes a dead-letters edge, and it
  // is not producer drift (nobody should bind event types to a DLQ, and a quiet DLQ is good news).
  const dlqTopics = [...topics.keys()].filter(options.isDlqTopic);
  const dlqSet = new Set(dlqTopics);
  const growingDlqs = new Set(observed.growingDlqs ?? []);
  const knownWriters: { topic: string; nodeId: string; evidence: DeadLetterEvidence[] }[] = [];
  for (const [id, e] of edges) {
    const topic = e.to.slice("topic:".length);
    if (e.type !== "produces" || !dlqSet.has(topic)) continue;
    knownWriters.push({ topic, nodeId: e.from, evidence: [...(e.observed ? (["sampled-writer"] as const) : []), ...(e.declared ? (["catalog"] as const) : [])] });
    edges.delete(id);
  }
  const readersOf = new Map<string, { topics: string[]; services: string[] }>([...groups.keys()].map((g) => [g, { topics: [], services: [] }]));
  for (const e of edges.values()) {
    if (e.type === "consumed-by") readersOf.get(e.to.slice("group:".length))?.topics.push(e.from.slice("topic:".length));
    if (e.type === "runs-as") readersOf.get(e.from.slice("group:".length))?.services.push(e.to.slice("service:".length));
  }
  const links = deadLetterLinks({
    dlqTopics,
    topics: new Set(topics.keys()),
    groups: [...readersOf].map(([groupId, r]) => ({ groupId, ...r })),
    services: new Set(services.keys()),
    patterns: options.dlqPatterns,
    declarations: declared.dlqDeclarations ?? [],
    origins: observed.deadLetterOrigins ?? [],
    knownWriters,
  });
  const markDeadLetterEdge = (type: "dead-letters" | "dead-letters-from", from: string, to: string, evidence: DeadLetterEvidence[]) => {
    const declaredBy = evidence.some((x) => DECLARED_EVIDENCE.includes(x));
    const observedBy = evidence.some((x) => OBSERVED_EVIDENCE.includes(x));
    edges.set(edgeId(type, from, to), { type, from, to, declared: declaredBy, observed: observedBy, eventTypes: new Set(), evidence });
  };
  const deadLetterCandidates = new Map<string, string[]>();
  for (const link of links) {
    for (const s of link.sources) markDeadLetterEdge("dead-letters-from", nodeId.topic(s.topic), nodeId.topic(link.topic), s.evidence);
    // A writer inferred from the source topic's readers is as certain as that source link.
    const sourceEvidence = [...new Set(link.sources.flatMap((s) => s.evidence))];
    for (const w of link.writers) {
      const inferred = w.evidence.every((x) => x === "only-reader" || x === "name-match");
      markDeadLetterEdge("dead-letters", w.nodeId, nodeId.topic(link.topic), inferred ? [...w.evidence, ...sourceEvidence] : w.evidence);
    }
    if (link.candidates.length) deadLetterCandidates.set(link.topic, link.candidates);
  }

  // ── Rates ────────────────────────────────────────────────────────────────────────────────
  const groupById = new Map(liveGroups.map((g) => [g.groupId, g]));
  const producesInto = new Map<string, number>();
  for (const e of edges.values()) if (e.type === "produces" || e.type === "dead-letters") producesInto.set(e.to, (producesInto.get(e.to) ?? 0) + 1);

  function edgeRate(e: EdgeDraft): number | null {
    if (e.type === "dead-letters-from") return null;
    if (e.type === "produces" || e.type === "dead-letters") {
      const topic = e.to.slice("topic:".length);
      const rate = brokerTopics.get(topic)?.produceRate ?? null;
      if (rate === null) return null;
      const shares = sampledShare.get(topic);
      const service = e.from.slice(e.from.indexOf(":") + 1);
      if (shares && shares.size > 0) {
        const total = [...shares.values()].reduce((a, b) => a + b, 0);
        return total > 0 ? (rate * (shares.get(service) ?? 0)) / total : null;
      }
      // Without samples, a sole producer accounts for all of the topic's traffic.
      return producesInto.get(e.to) === 1 ? rate : null;
    }
    if (e.type === "consumed-by") {
      const group = groupById.get(e.to.slice("group:".length));
      return group?.consumeRateByTopic[e.from.slice("topic:".length)] ?? null;
    }
    return groupById.get(e.from.slice("group:".length))?.consumeRate ?? null;
  }

  // ── Drift ────────────────────────────────────────────────────────────────────────────────
  const drift: DriftItem[] = [];
  const haveBrokerView = observed.sampledAt !== null;
  const declaredTopicOf = (topic: string) => [...(eventTypesOfTopic.get(topic) ?? [])];

  for (const [name, t] of [...topics].sort(([a], [b]) => byName(a, b))) {
    if (t.observed && !t.declared && brokerTopics.has(name)) {
      drift.push({
        id: `undeclared-topic:${name}`,
        kind: "undeclared-topic",
        nodeId: nodeId.topic(name),
        message: `Topic ${name} exists on the broker, but no event type is bound to it in the catalog.`,
        fix: { action: "open", label: "Bind an event type to this topic", href: `/schemas?topic=${encodeURIComponent(name)}` },
      });
    }
    if (t.declared && haveBrokerView && !brokerTopics.has(name)) {
      drift.push({
        id: `missing-topic:${name}`,
        kind: "missing-topic",
        nodeId: nodeId.topic(name),
        message: `The catalog binds topic ${name}, but the broker does not have it.`,
        fix: { action: "open", label: "Review the event types bound to it", href: `/schemas?topic=${encodeURIComponent(name)}` },
      });
    }
  }

  for (const [id, g] of [...groups].sort(([a], [b]) => byName(a, b))) {
    const live = groupById.get(id);
    if (g.observed && !g.declared && live) {
      const serviceGuess = live.memberClientIds.find((c) => services.has(c)) ?? (services.has(id) ? id : null);
      const groupTopics = live.topics.filter((t) => !isInternalTopic(t)).sort(byName);
      const eventTypes = [...new Set(groupTopics.flatMap((t) => [...declaredTopicOf(t), ...(observedEventTypesOfTopic.get(t) ?? [])]))].sort(byName);
      drift.push({
        id: `undeclared-group:${id}`,
        kind: "undeclared-group",
        nodeId: nodeId.group(id),
        message: `Consumer group ${id} reads ${groupTopics.join(", ") || "no topic yet"}, but no subscription in the catalog declares it.`,
        fix: { action: "declare-subscription", label: "Declare this subscription", groupId: id, topics: groupTopics, serviceGuess, eventTypes },
      });
    }
    if (g.declared && haveBrokerView && !live) {
      const subs = declared.subscriptions.filter((s) => s.consumerGroupId === id);
      const service = subs[0]?.service ?? "";
      drift.push({
        id: `subscription-without-group:${id}`,
        kind: "subscription-without-group",
        nodeId: nodeId.group(id),
        message: `${service || "A service"} is declared to consume ${[...new Set(subs.map((s) => s.topic))].join(", ")} as group ${id}, but the broker has no such group.`,
        fix: { action: "open", label: "Review the subscription", href: `/schemas/${encodeURIComponent(subs[0]?.eventType ?? "")}` },
      });
    }
  }

  const producersSampled = observed.producersSampledAt !== null;
  for (const e of [...edges.values()].filter((x) => x.type === "produces").sort((a, b) => byName(a.from + a.to, b.from + b.to))) {
    const service = e.from.slice("service:".length);
    const topic = e.to.slice("topic:".length);
    if (e.observed && !e.declared) {
      drift.push({
        id: `undeclared-producer:${service}:${topic}`,
        kind: "undeclared-producer",
        nodeId: e.from,
        message: `${service} sends ${[...e.eventTypes].sort(byName).join(", ") || "messages"} to ${topic}, but the catalog does not declare it as a producer.`,
        fix: { action: "declare-producer", label: "Declare this producer", service, topic, eventTypes: [...e.eventTypes].sort(byName) },
      });
    }
    // Silence is only evidence when the topic exists and its recent messages were sampled.
    if (e.declared && !e.observed && producersSampled && brokerTopics.has(topic)) {
      const minutes = Math.round(options.producerRecentMs / 60_000);
      drift.push({
        id: `silent-producer:${service}:${topic}`,
        kind: "silent-producer",
        nodeId: e.from,
        message: `${service} is declared to produce ${[...e.eventTypes].sort(byName).join(", ")} to ${topic}, but none of its messages were seen there in the last ${minutes} min.`,
        fix: { action: "open", label: "Review the declaration", href: `/schemas/${encodeURIComponent([...e.eventTypes][0] ?? "")}` },
      });
    }
  }

  // ── Assemble ─────────────────────────────────────────────────────────────────────────────
  const serviceNodes: ServiceNode[] = [...services]
    .sort(([a], [b]) => byName(a, b))
    .map(([name, s]) => ({ id: nodeId.service(name), type: "service", label: name, source: provenance(s.declared, s.observed), team: s.team, description: s.description }));

  const topicNodes: TopicNode[] = [...topics]
    .sort(([a], [b]) => byName(a, b))
    .map(([name, t]) => {
      const onBroker = brokerTopics.get(name);
      return {
        id: nodeId.topic(name),
        type: "topic",
        label: name,
        source: provenance(t.declared, t.observed),
        eventTypes: declaredTopicOf(name)
          .sort(byName)
          .map((e) => ({ name: e, domain: eventTypeInfo.get(e)?.domain ?? null })),
        observedEventTypes: [...(observedEventTypesOfTopic.get(name) ?? [])].sort(byName),
        isDlq: dlqSet.has(name),
        partitions: onBroker?.partitions ?? null,
        produceRate: onBroker?.produceRate ?? null,
        deadLetterCandidates: deadLetterCandidates.get(name) ?? [],
        dlqGrowing: dlqSet.has(name) && growingDlqs.has(name),
      };
    });

  const groupNodes: GroupNode[] = [...groups]
    .sort(([a], [b]) => byName(a, b))
    .map(([id, g]) => {
      const live = groupById.get(id);
      return {
        id: nodeId.group(id),
        type: "group",
        label: id,
        source: provenance(g.declared, g.observed),
        status: live?.status ?? null,
        state: live?.state ?? null,
        members: live?.members ?? 0,
        totalLag: live?.totalLag ?? null,
        maxLagSeconds: live?.maxLagSeconds ?? null,
        consumeRate: live?.consumeRate ?? null,
      };
    });

  const edgeList: TopologyEdge[] = [...edges.values()]
    .sort((a, b) => byName(edgeId(a.type, a.from, a.to), edgeId(b.type, b.from, b.to)))
    .map((e) => ({
      id: edgeId(e.type, e.from, e.to),
      from: e.from,
      to: e.to,
      type: e.type,
      source: provenance(e.declared, e.observed),
      rate: edgeRate(e),
      eventTypes: [...e.eventTypes].sort(byName),
      ...(e.evidence ? { evidence: e.evidence } : {}),
    }));

  const domains = [...new Set(declared.eventTypes.map((e) => e.domain).filter((d): d is string => !!d))].sort(byName);
  const teams = [...new Set(serviceNodes.map((s) => s.team).filter((t): t is string => !!t))].sort(byName);

  return {
    generatedAt: new Date(options.now).toISOString(),
    cluster: options.cluster,
    observedAt: observed.sampledAt === null ? null : new Date(observed.sampledAt).toISOString(),
    producersObservedAt: observed.producersSampledAt === null ? null : new Date(observed.producersSampledAt).toISOString(),
    nodes: [...serviceNodes, ...topicNodes, ...groupNodes],
    edges: edgeList,
    drift,
    domains,
    teams,
  };
}
