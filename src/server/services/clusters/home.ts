// The clusters the console offers (the switcher, /c/<cluster>/ pages) and the home page's row per
// cluster. The home reads what the worker stores per cluster (the latest lag snapshot, the DLQ index,
// alerts); only health, brokers and the Kafka version are asked of each cluster live, all at once,
// since nothing stores them.
import { cache } from "react";
import type { Env } from "~/env";
import type { ClusterChoice } from "~/lib/clusters";
import { listAlerts, listClusters, type Actor } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { mayActOn, visibleTo } from "~/server/services/auth/authorize";
import { dlqIndexSummaries } from "~/server/services/dlq/dlq";
import { checkKafka } from "~/server/services/health/health";
import { latestSnapshot } from "~/server/services/lag/queries";
import type { LagSnapshot } from "~/server/services/lag/types";
import { allClusterConnections } from "./clusters";

/**
 * Every cluster Signalbox knows, default first: the catalog's rows, and configured ones not mirrored
 * there yet. Once per page render (React's cache: the console's layout and the cluster's both ask).
 */
export const listClusterChoices = cache(readClusterChoices);

async function readClusterChoices(env: Env): Promise<ClusterChoice[]> {
  const rows = await listClusters();
  const choices: ClusterChoice[] = rows.map((r) => ({ name: r.name, label: r.label, color: r.color, isDefault: env.clusters.some((c) => c.isDefault && c.name === r.name) }));
  for (const def of env.clusters) {
    if (!choices.some((c) => c.name === def.name)) choices.push({ name: def.name, label: def.label, color: def.color, isDefault: def.isDefault });
  }
  return choices.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
}

/** The clusters `actor` may read something on (a binding limited to clusters "prod-*" offers only those). */
export async function clusterChoicesFor(env: Env, actor: Actor): Promise<ClusterChoice[]> {
  return (await listClusterChoices(env)).filter((c) => mayActOn(actor, "viewer", { cluster: c.name }));
}

export interface ClusterSampleSummary {
  takenAt: number;
  /** No sample newer than three sampler intervals: the figures may be old. */
  stale: boolean;
  totalLag: number;
  groups: number;
  /** Groups whose status is ERR (a partition in STALL, STOP or REWIND). */
  groupsErr: number;
  /** Of those, groups with a partition in STALL. */
  groupsStall: number;
}

export interface ClusterHomeRow extends ClusterChoice {
  health: { ok: boolean; error: string | null; brokers: number | null; kafkaVersion: string | null };
  /** Null until the worker stored the cluster's first sample. */
  sample: ClusterSampleSummary | null;
  growingDlqs: string[];
  firingAlerts: number;
}

export function summariseSample(snapshot: Pick<LagSnapshot, "takenAt" | "groups">, now: number, intervalMs: number): ClusterSampleSummary {
  const errGroups = snapshot.groups.filter((g) => g.status === "ERR");
  return {
    takenAt: snapshot.takenAt,
    stale: now - snapshot.takenAt > intervalMs * 3,
    totalLag: snapshot.groups.reduce((sum, g) => sum + g.totalLag, 0),
    groups: snapshot.groups.length,
    groupsErr: errGroups.length,
    groupsStall: errGroups.filter((g) => g.partitions.some((p) => p.status === "STALL")).length,
  };
}

async function homeRow(env: Env, actor: Actor, choice: ClusterChoice, connections: Awaited<ReturnType<typeof allClusterConnections>>, now: number): Promise<ClusterHomeRow> {
  const cluster = choice.name;
  const connection = connections.find((c) => c.name === cluster);
  const [health, snapshot, dlqs, alerts] = await Promise.all([
    connection ? checkKafka(connection) : Promise.resolve(null),
    latestSnapshot(cluster),
    dlqIndexSummaries(cluster, now),
    listAlerts(cluster),
  ]);
  // A scoped reader's figures cover only the groups and topics it may see.
  const groups = snapshot ? visibleTo(actor, snapshot.groups, (g) => ({ cluster, group: g.groupId })) : [];
  return {
    ...choice,
    health: health
      ? { ok: health.ok, error: health.error ?? null, brokers: health.ok ? health.brokers.length : null, kafkaVersion: health.kafkaVersion }
      : { ok: false, error: "Signalbox cannot open this cluster's connection settings.", brokers: null, kafkaVersion: null },
    sample: snapshot ? summariseSample({ takenAt: snapshot.takenAt, groups }, now, env.SAMPLER_INTERVAL_MS) : null,
    growingDlqs: visibleTo(actor, dlqs.filter((d) => d.growing), (d) => ({ cluster, topics: [d.topic] })).map((d) => d.topic),
    firingAlerts: visibleTo(actor, alerts.filter((a) => a.state === "FIRING"), (a) => ({ cluster, group: a.groupId })).length,
  };
}

/** One row per cluster the actor may read, in the switcher's order. A cluster that fails to answer says why in its row. */
export async function clustersHome(env: Env, actor: Actor, now = Date.now()): Promise<ClusterHomeRow[]> {
  const choices = await clusterChoicesFor(env, actor);
  let connections: Awaited<ReturnType<typeof allClusterConnections>> = [];
  let connectionError: string | null = null;
  try {
    connections = await allClusterConnections(env);
  } catch (error) {
    // A stored secret that cannot be opened (a rotated key) must not blank the whole home.
    connectionError = describeError(error);
  }
  return Promise.all(
    choices.map((choice) =>
      homeRow(env, actor, choice, connections, now).catch(
        (error: unknown): ClusterHomeRow => ({ ...choice, health: { ok: false, error: connectionError ?? describeError(error), brokers: null, kafkaVersion: null }, sample: null, growingDlqs: [], firingAlerts: 0 }),
      ),
    ),
  );
}
