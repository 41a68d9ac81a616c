// Which topics are dead-letter queues: those whose names match DLQ_TOPIC_PATTERNS, plus those the
// catalog declares (with the topic their failures come from). The DLQ screens, the DLQ index and
// the topology share this one rule.
import { getEnv } from "~/env";
import { listTopicNames, type ClusterConnectionConfig } from "~/server/broker";
import { deleteDlqDeclaration, findDlqDeclaration, listDlqDeclarations, saveDlqDeclaration, writeAudit, type Actor, type DlqDeclarationRow } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { announceDlqChange } from "./changes";
import type { DlqDeclaration } from "./dlq.types";
import { dlqTopicMatcher, parseDlqPatterns } from "./patterns";

export interface DlqTopic {
  topic: string;
  /** Found by a name pattern. */
  matchesPattern: boolean;
  /** The catalog's declaration, when there is one. */
  declaration: DlqDeclarationRow | null;
}

function patternMatcher(): (topic: string) => boolean {
  return dlqTopicMatcher(parseDlqPatterns(getEnv().DLQ_TOPIC_PATTERNS));
}

/** A predicate for "is this topic a DLQ", for code that asks about many topics (the topology). */
export async function dlqTopicRule(clusterName: string): Promise<(topic: string) => boolean> {
  const matches = patternMatcher();
  const declared = new Set((await listDlqDeclarations(clusterName)).map((d) => d.topic));
  return (topic) => matches(topic) || declared.has(topic);
}

/** Every existing DLQ topic of the cluster, by name. A declared topic that does not exist is left out. */
export async function listDlqTopics(cluster: ClusterConnectionConfig): Promise<DlqTopic[]> {
  const matches = patternMatcher();
  const [names, declarations] = await Promise.all([listTopicNames(cluster), listDlqDeclarations(cluster.name)]);
  const declared = new Map(declarations.map((d) => [d.topic, d]));
  return names
    .filter((t) => matches(t) || declared.has(t))
    .sort()
    .map((topic) => ({ topic, matchesPattern: matches(topic), declaration: declared.get(topic) ?? null }));
}

/** The topic's DLQ facts; refused with a reason when the topic is not a DLQ. */
export async function requireDlqTopic(clusterName: string, topic: string): Promise<DlqTopic> {
  const matchesPattern = patternMatcher()(topic);
  const declaration = await findDlqDeclaration(clusterName, topic);
  if (!matchesPattern && !declaration) {
    throw new AppError("BAD_REQUEST", `"${topic}" is not a dead-letter topic: it matches none of the DLQ name patterns and the catalog does not declare it.`);
  }
  return { topic, matchesPattern, declaration };
}


/** Declares a topic a DLQ (or changes its source topic and note). Both topics must exist. */
export async function declareDlqTopic(actor: Actor, cluster: ClusterConnectionConfig, request: DlqDeclaration): Promise<DlqDeclarationRow> {
  if (request.sourceTopic === request.topic) throw new AppError("BAD_REQUEST", "A DLQ cannot be its own source topic: redriven records would land back in it.");
  const existing = new Set(await listTopicNames(cluster));
  for (const name of [request.topic, request.sourceTopic]) {
    if (name && !existing.has(name)) throw new AppError("NOT_FOUND", `The topic "${name}" does not exist.`);
  }
  const { row, created } = await saveDlqDeclaration(cluster.name, { ...request, actor: actor.email });
  await announceDlqChange(cluster.name, request.topic);
  await writeAudit({ actor, action: created ? "dlq.declare" : "dlq.declaration-update", targetType: "topic", targetId: request.topic, details: { sourceTopic: request.sourceTopic, note: request.note } });
  return row;
}

export async function undeclareDlqTopic(actor: Actor, clusterName: string, topic: string): Promise<{ removed: boolean }> {
  const removed = await deleteDlqDeclaration(clusterName, topic);
  if (!removed) throw new AppError("NOT_FOUND", `"${topic}" is not declared as a DLQ in the catalog.`);
  await announceDlqChange(clusterName, topic);
  await writeAudit({ actor, action: "dlq.undeclare", targetType: "topic", targetId: topic, details: {} });
  return { removed };
}
