// The runner's lifecycle rule: a stopped runner must not start a job from a delivery pg-boss fetched
// just before stop() (that let a test process run a job meant for the worker it was about to kill).
import { beforeEach, describe, expect, it, vi } from "vitest";

const catalog = vi.hoisted(() => ({
  jobLease: vi.fn(() => ({ tryAcquire: vi.fn(async () => false), held: false, release: vi.fn(async () => undefined) })),
}));
vi.mock("~/server/catalog", () => ({ CHANNELS: { jobs: "signalbox_jobs" }, jobLease: catalog.jobLease }));

const { JobRunner } = await import("./runner");

const cluster = { name: "unit", brokers: ["127.0.0.1:1"], clientId: "unit", ssl: false, connectionTimeoutMs: 1000 };
const options = { workerId: "unit", concurrency: 1, reapIntervalMs: 1000, claimGraceMs: 1000, retryAfterMs: 1000 };

describe("JobRunner deliveries", () => {
  beforeEach(() => catalog.jobLease.mockClear());

  it("tries to take the job's lock while running", async () => {
    const runner = new JobRunner(cluster, [], options);
    await runner.handleDelivery(7, "delivery-1");
    expect(catalog.jobLease).toHaveBeenCalledWith(7);
  });

  it("leaves a delivery alone once stopped, so it never starts the job", async () => {
    const runner = new JobRunner(cluster, [], options);
    await runner.stop();
    await runner.handleDelivery(7, "delivery-1");
    expect(catalog.jobLease).not.toHaveBeenCalled();
  });
});
