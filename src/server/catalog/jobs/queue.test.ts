// The delivery loop against a fake queue: an outcome that cannot be recorded (PostgreSQL restarting
// just then) is logged and the loop goes on; under pg-boss's own work() it was an unhandled rejection
// that ended the worker process.
import { describe, expect, it, vi } from "vitest";
import { pollDeliveries, type DeliverySource } from "./queue";

function fakeQueue(deliveries: { id: string; data: { n: number } }[]) {
  const pending = [...deliveries];
  const boss = {
    fetch: vi.fn(async () => {
      const next = pending.shift();
      return next ? [{ ...next, retryCount: 0, retryLimit: 0 }] : [];
    }),
    complete: vi.fn(async () => Promise.reject(new Error("the database system is shutting down"))),
    fail: vi.fn(async () => undefined),
  };
  return boss;
}

describe("pollDeliveries", () => {
  it("goes on when a delivery's outcome cannot be recorded, and fails the deliveries whose handler threw", async () => {
    const boss = fakeQueue([
      { id: "d1", data: { n: 1 } },
      { id: "d2", data: { n: 2 } },
      { id: "d3", data: { n: 3 } },
    ]);
    const handled: number[] = [];
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    const stop = pollDeliveries<{ n: number }>(boss as unknown as DeliverySource, "q", { concurrency: 1, pollSeconds: 0.01 }, async (job) => {
      handled.push(job.data.n);
      if (job.data.n === 2) throw new Error("receiver answered 500");
    });
    await vi.waitFor(() => expect(handled).toEqual([1, 2, 3]));
    await stop();
    process.off("unhandledRejection", unhandled);
    expect(boss.complete.mock.calls).toEqual([
      ["q", "d1"],
      ["q", "d3"],
    ]);
    expect(boss.fail).toHaveBeenCalledWith("q", "d2", { message: "receiver answered 500" });
    expect(unhandled).not.toHaveBeenCalled();
  });

  it("keeps polling while the queue cannot be read, and takes deliveries again once it can", async () => {
    const boss = fakeQueue([{ id: "d1", data: { n: 1 } }]);
    const fetch = boss.fetch;
    boss.fetch = vi.fn().mockRejectedValueOnce(new Error("connect ECONNREFUSED")).mockRejectedValueOnce(new Error("connect ECONNREFUSED")).mockImplementation(fetch);
    const handled: number[] = [];
    const stop = pollDeliveries<{ n: number }>(boss as unknown as DeliverySource, "q", { concurrency: 2, pollSeconds: 0.01 }, async (job) => {
      handled.push(job.data.n);
    });
    await vi.waitFor(() => expect(handled).toEqual([1]));
    await stop();
  });
});
