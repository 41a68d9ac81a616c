// Where each dead-letter topic sits in the flow: which topic its records failed on (its source) and
// who writes them (a service, or a consumer group whose service is unknown). Kafka records neither,
// so this weighs the evidence Signalbox has, strongest first:
// - source topics: the origin topic named in the DLQ's record headers (the DLQ index), the catalog's
//   DLQ declaration, and only when neither says anything, the DLQ's name under a DLQ pattern
//   (orders.DLQ → orders; Spring Cloud Stream's error.<topic>.<group> names both);
// - writers: who the producer sampler saw writing it or the catalog declares producing to it; else
//   a group the DLQ's name names; else the group reading a source topic, when only one does, or when
//   only one of them shares a word with the DLQ's name (payments.DLQ ← payment-service). When several
//   remain, no writer is drawn and they are listed as candidates rather than guessed.
// Pure, so every rule is unit-tested (dead-letters.test.ts).
import type { DeadLetterEvidence } from "./types";

export interface DeadLetterInput {
  /** The DLQ topics in the graph. */
  dlqTopics: readonly string[];
  /** Every topic in the graph. */
  topics: ReadonlySet<string>;
  /** Each consumer group in the graph: the topics it reads and the services it runs as. */
  groups: readonly { groupId: string; topics: readonly string[]; services: readonly string[] }[];
  services: ReadonlySet<string>;
  /** DLQ_TOPIC_PATTERNS. */
  patterns: readonly string[];
  /** The catalog's DLQ declarations. */
  declarations: readonly { topic: string; sourceTopic: string | null }[];
  /** Per DLQ, the origin topics its records' headers name, with how many records. */
  origins: readonly { topic: string; originTopic: string; records: number }[];
  /** Writers already known from produce edges into a DLQ (sampled records or the catalog), as node ids. */
  knownWriters: readonly { topic: string; nodeId: string; evidence: DeadLetterEvidence[] }[];
}

export interface DeadLetterSource {
  topic: string;
  evidence: DeadLetterEvidence[];
  /** Records whose headers name it; null when only the catalog or the name says so. */
  records: number | null;
}

export interface DeadLetterWriter {
  /** service:<name> or group:<id>. */
  nodeId: string;
  evidence: DeadLetterEvidence[];
}

export interface DeadLetterLinks {
  topic: string;
  sources: DeadLetterSource[];
  writers: DeadLetterWriter[];
  /** Groups reading a source topic when none of them could be singled out as the writer. */
  candidates: string[];
}

const MAX_STARS = 3;
const MAX_CAPTURES = 32;

/**
 * The parts of `name` that a glob's `*`s stand for, for each way it matches: orders.DLQ under *.DLQ
 * gives [["orders"]]; error.orders.billing under error.*.* gives [["orders", "billing"]]. Only globs
 * of literals and `*` are read (the defaults are); others still decide what is a DLQ, they just name
 * nothing. Bounded: a few stars, a few matches, since the patterns come from configuration.
 */
export function globCaptures(name: string, glob: string): string[][] {
  if (/[?[\\!]/.test(glob) || glob.includes("**")) return [];
  const literals = glob.split("*");
  if (literals.length - 1 > MAX_STARS || literals.length === 1) return [];
  const found: string[][] = [];
  const walk = (at: number, index: number, parts: string[]) => {
    if (found.length >= MAX_CAPTURES) return;
    const literal = literals[index]!;
    if (!name.startsWith(literal, at)) return;
    const from = at + literal.length;
    if (index === literals.length - 1) {
      if (from === name.length) found.push(parts);
      return;
    }
    // A star stands for at least one character here: an empty name part names nothing.
    for (let end = from + 1; end <= name.length; end += 1) walk(end, index + 1, [...parts, name.slice(from, end)]);
  };
  walk(0, 0, []);
  return found;
}

/** Words that say "dead letter" or "a service" rather than which one. */
const GENERIC_WORDS = new Set(["dlq", "dlt", "dead", "letter", "letters", "error", "errors", "failed", "failure", "retry", "service", "svc", "consumer", "group", "app", "worker", "topic"]);

/** The distinctive words of a name, lower-case, a plural's s dropped: payments.DLQ → {payment}. */
export function nameWords(name: string): Set<string> {
  const words = new Set<string>();
  for (const raw of name.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!raw || GENERIC_WORDS.has(raw)) continue;
    words.add(raw.length > 3 && raw.endsWith("s") ? raw.slice(0, -1) : raw);
  }
  return words;
}

function addEvidence(list: DeadLetterEvidence[], evidence: DeadLetterEvidence): void {
  if (!list.includes(evidence)) list.push(evidence);
}

export function deadLetterLinks(input: DeadLetterInput): DeadLetterLinks[] {
  const dlqs = new Set(input.dlqTopics);
  const groupById = new Map(input.groups.map((g) => [g.groupId, g]));
  const writerNode = (groupId: string) => {
    const services = groupById.get(groupId)?.services ?? [];
    // A group that runs as one known service is that service; otherwise the group itself writes.
    return services.length === 1 ? `service:${services[0]}` : `group:${groupId}`;
  };

  return [...input.dlqTopics].sort().map((dlq) => {
    const captures = input.patterns.flatMap((p) => globCaptures(dlq, p)).flat();

    // ── Sources ──
    const sources = new Map<string, DeadLetterSource>();
    const source = (topic: string) => {
      let s = sources.get(topic);
      if (!s) sources.set(topic, (s = { topic, evidence: [], records: null }));
      return s;
    };
    for (const o of input.origins) {
      // A record dead-lettered from the DLQ itself (or from a topic since deleted) links nothing drawable.
      if (o.topic !== dlq || o.originTopic === dlq || !input.topics.has(o.originTopic)) continue;
      const s = source(o.originTopic);
      addEvidence(s.evidence, "record-headers");
      s.records = (s.records ?? 0) + o.records;
    }
    for (const d of input.declarations) {
      if (d.topic === dlq && d.sourceTopic && d.sourceTopic !== dlq && input.topics.has(d.sourceTopic)) addEvidence(source(d.sourceTopic).evidence, "catalog");
    }
    // A name is the weakest evidence (payments.DLQ may hold failures of orders), so it only speaks
    // when the records and the catalog are silent.
    if (sources.size === 0) {
      for (const part of captures) if (part !== dlq && input.topics.has(part) && !dlqs.has(part)) addEvidence(source(part).evidence, "topic-name");
    }

    // ── Writers ──
    const writers = new Map<string, DeadLetterWriter>();
    const writer = (nodeId: string, evidence: DeadLetterEvidence) => {
      const w = writers.get(nodeId) ?? { nodeId, evidence: [] };
      addEvidence(w.evidence, evidence);
      writers.set(nodeId, w);
    };
    for (const k of input.knownWriters) if (k.topic === dlq) for (const e of k.evidence) writer(k.nodeId, e);
    if (writers.size === 0) {
      for (const part of captures) {
        if (groupById.has(part)) writer(writerNode(part), "topic-name");
        else if (input.services.has(part)) writer(`service:${part}`, "topic-name");
      }
    }
    let candidates: string[] = [];
    if (writers.size === 0 && sources.size > 0) {
      const readers = input.groups.filter((g) => g.topics.some((t) => sources.has(t))).map((g) => g.groupId).sort();
      if (readers.length === 1) writer(writerNode(readers[0]!), "only-reader");
      else if (readers.length > 1) {
        // The DLQ's own words, less those of its source topics: orders.DLQ says nothing about which
        // reader of orders failed, payments.DLQ (from orders) points at payment-service.
        const sourceWords = new Set([...sources.keys()].flatMap((t) => [...nameWords(t)]));
        const telling = [...nameWords(dlq)].filter((w) => !sourceWords.has(w));
        const matching = readers.filter((g) => {
          const words = new Set([...nameWords(g), ...(groupById.get(g)?.services ?? []).flatMap((s) => [...nameWords(s)])]);
          return telling.some((w) => words.has(w));
        });
        if (matching.length === 1) writer(writerNode(matching[0]!), "name-match");
        else candidates = readers.map((g) => `group:${g}`);
      }
    }

    return { topic: dlq, sources: [...sources.values()].sort((a, b) => (a.topic < b.topic ? -1 : 1)), writers: [...writers.values()].sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1)), candidates };
  });
}
