// Integration: health follows a real broker going down and coming back, with a real worker process.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { startLocalKafka, stopLocalKafka, REPO_ROOT } from "../../../../scripts/lib/local-kafka";
import { SERVER_CONDITION, startProcess, type ManagedProcess } from "../../../../scripts/lib/processes";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { describeCluster, type ClusterConnectionConfig } from "~/server/broker";
import { AppError } from "~/server/errors";
import { checkSystemHealth, httpStatusOf } from "./health";

// A broker of its own, so stopping it does not disturb the other integration tests. It follows
// SIGNALBOX_TEST_PORT_OFFSET like the shared one, so two checkouts' suites do not fight over it.
const PORT = INTEGRATION_STACK.kafkaPort + 4;
const cluster: ClusterConnectionConfig = { name: "health-it", brokers: [`127.0.0.1:${PORT}`], clientId: "signalbox-it", ssl: false, connectionTimeoutMs: 1500 };
let worker: ManagedProcess;

beforeAll(async () => {
  await startLocalKafka({ port: PORT, fresh: true });
  worker = startProcess("worker", path.join(REPO_ROOT, "node_modules/.bin/tsx"), [...SERVER_CONDITION, "src/worker/index.ts"], {
    cwd: REPO_ROOT,
    env: { KAFKA_BROKERS: cluster.brokers[0], DATABASE_URL: getEnv().DATABASE_URL, WORKER_HEARTBEAT_MS: "1000" },
    quiet: true,
  });
});

closeConnectionsAfterAll(async () => {
  await worker?.stop();
  await stopLocalKafka(PORT);
});

describe("system health against a real broker", () => {
  it("is 200 while everything runs, 503 while the broker is stopped, and 200 again after it restarts", async () => {
    const check = () => checkSystemHealth({ cluster, workerStaleAfterMs: 10_000 });

    await expect.poll(async () => httpStatusOf(await check()), { timeout: 60_000, interval: 1000 }).toBe(200);
    const up = await check();
    expect(up.kafka).toMatchObject({ ok: true, brokers: [`127.0.0.1:${PORT}`] });
    expect(up.kafka.clusterId).toMatch(/\S+/);
    expect(up.db.ok).toBe(true);
    expect(up.worker.ok).toBe(true);

    await stopLocalKafka(PORT);
    const down = await check();
    expect(httpStatusOf(down)).toBe(503);
    expect(down.kafka.ok).toBe(false);
    expect(down.kafka.error).toMatch(/unreachable|did not answer/i);
    expect(down.db.ok).toBe(true);

    await startLocalKafka({ port: PORT });
    await expect.poll(async () => httpStatusOf(await check()), { timeout: 60_000, interval: 1000 }).toBe(200);
    expect((await check()).kafka.clusterId).toBe(up.kafka.clusterId);
  });

  it("names the problem when no broker listens at the address", async () => {
    const nowhere: ClusterConnectionConfig = { ...cluster, name: "nowhere", brokers: ["127.0.0.1:1"] };
    const error = await describeCluster(nowhere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("BROKER_UNREACHABLE");
    expect((error as AppError).userMessage).toMatch(/Kafka is unreachable.*ECONNREFUSED/);
  });
});
