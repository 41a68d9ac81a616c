// Integration: deleting consumer groups on a real broker, checked with kafka-consumer-groups --list.
// An empty group goes; a group with a member, a job's checkpoint group and an unknown group stay,
// each with its reason, and every outcome is in the audit log.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { kafkaTool } from "../../../../scripts/lib/local-kafka";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv } from "~/env";
import { commitGroupOffsets, describeConsumerGroups, ensureTopics, runGroupConsumer, type GroupConsumer } from "~/server/broker";
import { listAudit } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { deleteGroups } from "./delete-groups";

const cluster = clusterFromEnv(getEnv());
const run = `it-delgroups-${Date.now()}`;
const topic = `${run}-t`;
const [empty, active, checkpoint, unknown] = [`${run}-empty`, `${run}-active`, `signalbox-redrive-${run}`, `${run}-never-existed`];
const support = { email: "support@signalbox.local", name: "Support", role: "support" as const };
let consumer: GroupConsumer | null = null;

const listed = async () => (await kafkaTool(INTEGRATION_STACK.kafkaPort, "kafka-consumer-groups", ["--list"])).split("\n").map((l) => l.trim());

beforeAll(async () => {
  await ensureTopics(cluster, [{ topic, numPartitions: 1 }]);
  for (const group of [empty, checkpoint]) await commitGroupOffsets(cluster, group, topic, [{ partition: 0, offset: 0 }]);
  consumer = await runGroupConsumer(cluster, { groupId: active, topics: [topic], eachRecord: async () => undefined });
  for (let i = 0; i < 100 && ((await describeConsumerGroups(cluster, [active]))[0]?.members.length ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 200));
});

closeConnectionsAfterAll(async () => {
  await consumer?.stop();
});

describe("deleteGroups", () => {
  it("deletes the empty group and refuses the others with their reasons, audited one by one", async () => {
    const result = await deleteGroups(support, cluster, { groupIds: [empty, active, checkpoint, unknown] });
    expect(result.results.map((r) => [r.groupId, r.deleted])).toEqual([
      [empty, true],
      [active, false],
      [checkpoint, false],
      [unknown, false],
    ]);
    expect(result.results[1]!.reason).toMatch(/^it has 1 active member \(state \w+\): stop its consumers first$/);
    expect(result.results[2]!.reason).toMatch(/checkpoint/);
    expect(result.results[3]!.reason).toBe("no such group");
    expect({ deleted: result.deleted, refused: result.refused }).toEqual({ deleted: 1, refused: 3 });

    const groups = await listed();
    expect(groups).not.toContain(empty);
    expect(groups).toEqual(expect.arrayContaining([active, checkpoint]));

    const audit = (await listAudit({ limit: 50 })).filter((e) => e.targetId.startsWith(run) || e.targetId === checkpoint);
    expect(audit.map((e) => [e.action, e.targetId]).sort()).toEqual(
      [
        ["group.delete", empty],
        ["group.delete-refused", active],
        ["group.delete-refused", checkpoint],
        ["group.delete-refused", unknown],
      ].sort(),
    );
  });
});
