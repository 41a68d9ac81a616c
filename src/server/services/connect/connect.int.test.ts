// Integration: a real Kafka Connect worker (Kafka's own ConnectDistributed with the FileStream
// connectors, started here by kafka.sh) against the real broker. A connector's lifecycle through the
// services, each action audited; Connect's own reasons in refusals; a failed task and its trace; and
// the DLQ round trip: Connect dead-letters a record that is not JSON, with its context headers, and
// Signalbox's DLQ index shows it with Connect's headers parsed as its origin and error.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startLocalConnect, stopLocalConnect } from "../../../../scripts/lib/local-connect";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { createProducer, ensureTopics } from "~/server/broker";
import { listAlerts, listAudit, type Actor } from "~/server/catalog";
import { AlertEngine } from "~/server/services/alerts/engine";
import { createRule } from "~/server/services/alerts/rules";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { addCluster, listClustersView, removeCluster } from "~/server/services/clusters/clusters";
import { clusterInput } from "~/server/services/clusters/clusters.types";
import { findDlqRecords } from "~/server/services/dlq/dlq";
import { catchUpDlqIndex } from "~/server/services/dlq/indexer";
import { readConnectSnapshot } from "./health";
import {
  createConnectorFromJson,
  deleteConnectorAudited,
  getConnector,
  listConnectClusters,
  pauseConnectorAudited,
  restartConnectorAudited,
  resumeConnectorAudited,
  type ConnectorView,
} from "./connect";

const env = getEnv();
const cluster = clusterFromEnv(env);
const ports = { kafkaPort: INTEGRATION_STACK.kafkaPort, connectPort: INTEGRATION_STACK.connectPort };
const operator: Actor = { email: "connect-operator@signalbox.local", name: "Connect operator", role: "operator" };
const admin: Actor = { email: "connect-admin@signalbox.local", name: "Connect admin", role: "admin" };
const run = Date.now();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "signalbox-connect-"));

beforeAll(async () => {
  await startLocalConnect({ ...ports, fresh: true });
}, 180_000);

closeConnectionsAfterAll(() => stopLocalConnect(ports));

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not happen in ${timeoutMs} ms; last seen: ${JSON.stringify(last ?? String(lastError)).slice(0, 1500)}`);
}

const connector = (name: string) => getConnector(env, cluster.name, { connect: "it", connector: name });
const states = (c: ConnectorView) => [c.state, ...c.tasks.map((t) => t.state)];

function sinkJson(name: string, topic: string, extra: Record<string, string> = {}) {
  return JSON.stringify({
    name,
    config: { "connector.class": "FileStreamSink", "tasks.max": "1", topics: topic, file: path.join(dir, `${name}.txt`), "key.converter": "org.apache.kafka.connect.storage.StringConverter", "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "true", ...extra },
  });
}

async function auditActions(target: string): Promise<string[]> {
  return (await listAudit({ limit: 200 })).filter((e) => e.targetId === target).map((e) => e.action).reverse();
}

describe("a connector's lifecycle on a real Connect worker", () => {
  it("creates from JSON, pauses, resumes, restarts, deletes, each audited; refusals carry Connect's reason", async () => {
    const topic = `it-connect-life-${run}`;
    await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
    const name = `life-${run}`;
    await createConnectorFromJson(admin, env, cluster.name, { connect: "it", json: sinkJson(name, topic) });
    await until("RUNNING", () => connector(name), (c) => states(c).join() === "RUNNING,RUNNING");

    await pauseConnectorAudited(operator, env, cluster.name, { connect: "it", connector: name });
    await until("PAUSED", () => connector(name), (c) => states(c).join() === "PAUSED,PAUSED");
    await resumeConnectorAudited(operator, env, cluster.name, { connect: "it", connector: name });
    await until("RUNNING again", () => connector(name), (c) => states(c).join() === "RUNNING,RUNNING");
    await restartConnectorAudited(operator, env, cluster.name, { connect: "it", connector: name, onlyFailed: false });
    await restartConnectorAudited(operator, env, cluster.name, { connect: "it", connector: name, task: 0, onlyFailed: false });
    await until("RUNNING after the restarts", () => connector(name), (c) => states(c).join() === "RUNNING,RUNNING");

    // The same name again: Connect's own words come back, and the refusal is audited.
    await expect(createConnectorFromJson(admin, env, cluster.name, { connect: "it", json: sinkJson(name, topic) })).rejects.toMatchObject({ code: "CONFLICT", userMessage: expect.stringMatching(new RegExp(`refused POST /connectors \\(HTTP 409\\): Connector ${name} already exists`)) });
    // A class Connect does not have: its reason names it.
    await expect(createConnectorFromJson(admin, env, cluster.name, { connect: "it", json: JSON.stringify({ name: `nope-${run}`, "connector.class": "com.example.NoSuchConnector", topics: topic }) })).rejects.toMatchObject({ userMessage: expect.stringMatching(/refused POST \/connectors \(HTTP 500\): Failed to find any class that implements Connector and which name matches com\.example\.NoSuchConnector/) });
    // A task that does not exist.
    await expect(restartConnectorAudited(operator, env, cluster.name, { connect: "it", connector: name, task: 7, onlyFailed: false })).rejects.toMatchObject({ code: "NOT_FOUND", userMessage: expect.stringContaining("HTTP 404") });

    await deleteConnectorAudited(admin, env, cluster.name, { connect: "it", connector: name });
    await until("gone", () => listConnectClusters(env, cluster.name), (list) => !list[0]!.connectors.some((c) => c.name === name));
    await expect(deleteConnectorAudited(admin, env, cluster.name, { connect: "it", connector: name })).rejects.toMatchObject({ code: "NOT_FOUND", userMessage: expect.stringContaining(`${name} not found`) });

    expect(await auditActions(`integration/it/${name}`)).toEqual([
      "connector.create",
      "connector.pause",
      "connector.resume",
      "connector.restart",
      "connector.restart-task",
      "connector.create-refused",
      "connector.restart-task-refused",
      "connector.delete",
      "connector.delete-refused",
    ]);
  });

  it("names an unknown Connect cluster, and says when one does not answer without failing the list", async () => {
    await expect(getConnector(env, cluster.name, { connect: "nowhere", connector: "x" })).rejects.toMatchObject({ code: "NOT_FOUND", userMessage: expect.stringContaining('has "it"') });
    const list = await listConnectClusters({ ...env, clusters: env.clusters.map((c) => ({ ...c, connect: [...c.connect, { name: "down", url: "http://127.0.0.1:9", basicAuth: null }] })) }, cluster.name);
    expect(list.map((c) => [c.name, c.error === null])).toEqual([["it", true], ["down", false]]);
    expect(list[1]!.error).toMatch(/Kafka Connect "down" at http:\/\/127\.0\.0\.1:9 cannot be reached/);
  });
});

describe("a Connect cluster added in Settings", () => {
  it("is stored with its cluster, listed in Settings, and reached like a configured one", async () => {
    const name = `settings-connect-${run}`;
    const url = `http://127.0.0.1:${INTEGRATION_STACK.connectPort}`;
    await expect(addCluster(admin, env, clusterInput.parse({ name, bootstrapServers: cluster.brokers, securityProtocol: "PLAINTEXT", connect: [{ name: "x", url }, { name: "x", url }] }))).rejects.toThrow(/connect: the Connect cluster "x" is named twice/);
    const added = await addCluster(admin, env, clusterInput.parse({ name, bootstrapServers: cluster.brokers, securityProtocol: "PLAINTEXT", connect: [{ name: "side", url: `${url}/` }] }));
    try {
      expect((await listClustersView(env)).find((c) => c.name === name)?.connect).toEqual([{ name: "side", url, basicAuth: false }]);
      // The configured cluster's Connect shows with its credentials said, not given.
      expect((await listClustersView(env)).find((c) => c.name === cluster.name)?.connect).toEqual([{ name: "it", url, basicAuth: false }]);
      const topic = `it-connect-settings-${run}`;
      await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
      await createConnectorFromJson(admin, env, name, { connect: "side", json: sinkJson(`side-${run}`, topic) });
      const listed = await until("listed through the Settings cluster", () => listConnectClusters(env, name), (l) => l[0]?.connectors.some((c) => c.name === `side-${run}`) ?? false);
      expect(listed.map((c) => [c.name, c.url, c.error])).toEqual([["side", url, null]]);
      await deleteConnectorAudited(admin, env, name, { connect: "side", connector: `side-${run}` });
    } finally {
      await removeCluster(admin, added.id);
    }
  });
});

describe("a failed task", () => {
  it("shows FAILED with its trace, raises a CONNECTOR_FAILED alert, and the alert resolves once the connector is gone", async () => {
    const topic = `it-connect-fail-${run}`;
    await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
    const name = `fail-${run}`;
    await createConnectorFromJson(admin, env, cluster.name, { connect: "it", json: sinkJson(name, topic) });
    await until("RUNNING", () => connector(name), (c) => c.tasks[0]?.state === "RUNNING");
    const producer = await createProducer(cluster);
    await producer.send(topic, [{ key: "k", value: "this is not JSON {" }]);
    await producer.disconnect();
    const failed = await until("the task FAILED", () => connector(name), (c) => c.tasks[0]?.state === "FAILED");
    expect(failed.failedTasks).toBe(1);
    expect(failed.tasks[0]!.trace).toMatch(/DataException/);
    await restartConnectorAudited(operator, env, cluster.name, { connect: "it", connector: name, onlyFailed: true });
    expect(await auditActions(`integration/it/${name}`)).toEqual(["connector.create", "connector.restart"]);

    // The worker's check, as the sampler loop runs it: the rule fires for this connector.
    const rule = await createRule(operator, cluster.name, { name: `Connector failed ${run}`, kind: "CONNECTOR_FAILED", groupPattern: `it/${name}`, threshold: null, forMinutes: 0, webhookUrl: null, enabled: true });
    const engine = new AlertEngine();
    const alertsOfRule = async () => (await listAlerts(cluster.name)).filter((a) => a.ruleId === rule.id);
    // The restart runs the task into the same record again: it fails again.
    await until("FAILED again", () => connector(name), (c) => c.tasks[0]?.state === "FAILED");
    expect(await engine.onConnectors((await readConnectSnapshot(env, cluster.name))!)).toMatchObject({ fired: 1 });
    expect(await alertsOfRule()).toMatchObject([{ state: "FIRING", groupId: `it/${name}`, ruleKind: "CONNECTOR_FAILED", message: `Connector failed ${run}: it/${name} task 0 FAILED` }]);
    // Evaluated again: still one alert.
    expect(await engine.onConnectors((await readConnectSnapshot(env, cluster.name))!)).toEqual({ fired: 0, resolved: 0 });

    await deleteConnectorAudited(admin, env, cluster.name, { connect: "it", connector: name });
    await until("gone", () => listConnectClusters(env, cluster.name), (list) => !list[0]!.connectors.some((c) => c.name === name));
    expect(await engine.onConnectors((await readConnectSnapshot(env, cluster.name))!)).toMatchObject({ resolved: 1 });
    expect(await alertsOfRule()).toMatchObject([{ state: "RESOLVED", message: "connector no longer exists" }]);
  });
});

describe("Connect's dead-letter queue in Signalbox's DLQ", () => {
  it("indexes a record Connect dead-lettered with errors.tolerance=all, its origin and error read from Connect's headers", async () => {
    const topic = `it-connect-dlq-${run}`;
    const dlq = `${topic}.DLQ`;
    await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
    const name = `dlq-${run}`;
    const extra = {
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    };
    await createConnectorFromJson(admin, env, cluster.name, { connect: "it", json: sinkJson(name, topic, extra) });
    const running = await until("RUNNING", () => connector(name), (c) => c.tasks[0]?.state === "RUNNING");
    expect(running.dlqTopic).toBe(dlq);

    const producer = await createProducer(cluster);
    await producer.send(topic, [{ key: "good", value: JSON.stringify({ schema: { type: "string" }, payload: "fine" }) }, { key: "bad", value: "not json {" }]);
    await producer.disconnect();

    const list = await until(
      "the DLQ index to hold Connect's record",
      async () => {
        await catchUpDlqIndex(cluster, dlq);
        return findDlqRecords(cluster, dlq);
      },
      (l) => l.entries.length === 1,
    );
    const entry = list.entries[0]!;
    expect(entry.convention).toBe("kafka-connect");
    expect(entry.origin).toEqual({ topic, partition: 0, offset: "1" });
    expect(entry.errorClass).toBe("org.apache.kafka.connect.errors.DataException");
    expect(entry.errorMessage).toMatch(/^Converting byte\[\] to Kafka Connect data failed due to serialization error/);
    // The task tolerated it and goes on.
    expect((await connector(name)).tasks[0]!.state).toBe("RUNNING");
    await deleteConnectorAudited(admin, env, cluster.name, { connect: "it", connector: name });
  });
});
