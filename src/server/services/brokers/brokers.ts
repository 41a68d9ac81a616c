// The brokers area: every broker with its place in the cluster and its disks, one broker's
// configuration, and changes to its dynamic configuration (admins only; audited with before and after).
import {
  alterBrokerConfig,
  describeBrokerConfig,
  describeBrokers,
  describeCluster,
  describeLogDirs,
  describeReplicas,
  type BrokerLogDirs,
  type ClusterConnectionConfig,
  type ConfigEntry,
} from "~/server/broker";
import { writeAudit, type Actor } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { sleep } from "~/lib/time";
import { brokerConfigRefusal, brokerRows, partitionHealth } from "./broker-rules";
import type { AlterBrokerConfigRequest } from "./brokers.types";

/** Log dirs are a nicety of the list: a broker that refuses them leaves the sizes empty, not the page. */
async function logDirsOrReason(cluster: ClusterConnectionConfig, nodeIds: number[]): Promise<{ logDirs: BrokerLogDirs[] | null; logDirsError: string | null }> {
  try {
    return { logDirs: await describeLogDirs(cluster, nodeIds), logDirsError: null };
  } catch (error) {
    return { logDirs: null, logDirsError: error instanceof AppError ? error.userMessage : String(error) };
  }
}

export async function brokerList(cluster: ClusterConnectionConfig) {
  const [brokers, replicas, description] = await Promise.all([describeBrokers(cluster), describeReplicas(cluster), describeCluster(cluster)]);
  const { logDirs, logDirsError } = await logDirsOrReason(cluster, brokers.brokers.map((b) => b.nodeId));
  return {
    clusterId: brokers.clusterId,
    kafkaVersion: description.kafkaVersion,
    controllerId: brokers.controllerId,
    brokers: brokerRows(brokers.brokers, brokers.controllerId, replicas.partitions, logDirs),
    logDirsError,
    health: partitionHealth(replicas.partitions),
  };
}

export async function brokerDetail(cluster: ClusterConnectionConfig, nodeId: number) {
  const [brokers, replicas] = await Promise.all([describeBrokers(cluster), describeReplicas(cluster)]);
  const broker = brokers.brokers.find((b) => b.nodeId === nodeId);
  if (!broker) throw new AppError("NOT_FOUND", `Broker ${nodeId} is not in the cluster (brokers: ${brokers.brokers.map((b) => b.nodeId).join(", ") || "none"}).`);
  const [entries, dirs] = await Promise.all([describeBrokerConfig(cluster, nodeId), logDirsOrReason(cluster, [nodeId])]);
  const [row] = brokerRows([broker], brokers.controllerId, replicas.partitions, dirs.logDirs);
  const own = dirs.logDirs?.[0];
  return {
    broker: row!,
    entries,
    logDirs: own?.dirs ?? [],
    logDirsError: dirs.logDirsError ?? own?.unavailable ?? null,
    health: partitionHealth(replicas.partitions.filter((p) => p.replicas.includes(nodeId))),
  };
}

/** How long the read-back waits for the broker to apply an accepted change. */
const APPLY_WAIT_MS = 5000;

/**
 * The entry once the broker shows the change. KRaft applies it through the metadata log, and the
 * broker reconfigures the component after recording the new source, so a DescribeConfigs right
 * after the accepted request can still show the old value. After the wait, whatever the broker
 * shows is what the audit records (a setting Kafka stores but applies only on restart stays old).
 */
async function readBackAfter(cluster: ClusterConnectionConfig, request: AlterBrokerConfigRequest, before: ConfigEntry): Promise<ConfigEntry | undefined> {
  // What a removal falls back to: the first value below the per-broker one.
  const fallback = before.synonyms.find((s) => s.source !== "dynamic-broker")?.value;
  const applied = (e: ConfigEntry | undefined) =>
    request.kind === "remove"
      ? e?.source !== "dynamic-broker" && e?.value === fallback
      : e?.source === "dynamic-broker" && (e.value !== before.value || before.value === request.value);
  const deadline = Date.now() + APPLY_WAIT_MS;
  for (;;) {
    const entry = (await describeBrokerConfig(cluster, request.nodeId)).find((e) => e.name === request.name);
    if (applied(entry) || Date.now() > deadline) return entry;
    await sleep(100);
  }
}

const summary = (e: ConfigEntry | undefined) => (e ? { value: e.value, source: e.source } : null);

/**
 * Sets or removes one dynamic setting of one broker. Signalbox's refusals and Kafka's are audited and
 * thrown; an applied change is audited with the value and source before and after (read back, so a
 * removal shows the value that applies again).
 */
export async function alterBrokerSetting(actor: Actor, cluster: ClusterConnectionConfig, request: AlterBrokerConfigRequest) {
  const target = { targetType: "broker", targetId: String(request.nodeId) };
  const refuse = async (reason: string): Promise<never> => {
    await writeAudit({ actor, action: "broker.config.alter-refused", ...target, details: { cluster: cluster.name, name: request.name, reason } });
    throw new AppError("BAD_REQUEST", reason);
  };
  const before = (await describeBrokerConfig(cluster, request.nodeId)).find((e) => e.name === request.name);
  const refusal = brokerConfigRefusal(request.nodeId, before, request);
  if (refusal) return refuse(refusal);
  const kafka = await alterBrokerConfig(cluster, request.nodeId, { name: request.name, value: request.kind === "set" ? request.value : null });
  if (kafka) return refuse(`${request.kind === "set" ? `Kafka refused ${request.name}=${request.value}` : `Kafka refused to remove ${request.name}`} on broker ${request.nodeId} (${kafka.type}): ${kafka.message}`);
  const after = await readBackAfter(cluster, request, before!);
  const details = { name: request.name, before: summary(before), after: summary(after) };
  await writeAudit({ actor, action: "broker.config.alter", ...target, details: { cluster: cluster.name, ...details } });
  return details;
}
