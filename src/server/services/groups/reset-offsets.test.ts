// The reset refuses Signalbox's own job checkpoint groups even when they are Empty (as a paused job's
// group is). The broker answers as it would for such a group, so only the rule decides.
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("~/server/broker", () => ({
  describeConsumerGroups: vi.fn(async (_c: unknown, ids: string[]) => ids.map((groupId) => ({ groupId, state: "Empty", members: [] }))),
  fetchCommittedOffsets: vi.fn(async () => [{ topic: "orders", partition: 0, offset: 40 }]),
  readPartitionOffsets: vi.fn(async () => [{ topic: "orders", partition: 0, low: 0, high: 100 }]),
  offsetsForTimestamp: vi.fn(async () => []),
  commitGroupOffsets: vi.fn(async () => undefined),
}));
vi.mock("~/server/catalog", () => ({ writeAudit: vi.fn(async () => undefined) }));

const broker = await import("~/server/broker");
const { executeReset, previewReset } = await import("./reset-offsets");

const cluster = { name: "local", brokers: ["localhost:9092"] } as never;
const actor = { email: "ops@signalbox.local", name: "Ops", role: "operator" as const };
const toEarliest = (groupId: string) => ({ groupId, topic: "orders", target: { kind: "earliest" as const } });

beforeEach(() => vi.mocked(broker.commitGroupOffsets).mockClear());

describe("offset reset of job checkpoint groups", () => {
  it.each(["signalbox-replay-3f1c", "signalbox-redrive-9a2e"])("refuses %s, naming the exactly-once guarantee, and commits nothing", async (groupId) => {
    expect((await previewReset(cluster, toEarliest(groupId))).refusal).toMatch(/checkpoint of a Signalbox replay or redrive job.*exactly-once/);
    await expect(executeReset(actor, cluster, toEarliest(groupId))).rejects.toThrow(/exactly-once/);
    expect(broker.commitGroupOffsets).not.toHaveBeenCalled();
  });

  it("still resets an ordinary Empty group", async () => {
    expect((await previewReset(cluster, toEarliest("billing"))).refusal).toBeNull();
    await executeReset(actor, cluster, toEarliest("billing"));
    expect(broker.commitGroupOffsets).toHaveBeenCalledWith(cluster, "billing", "orders", [{ partition: 0, offset: 0 }]);
  });
});
