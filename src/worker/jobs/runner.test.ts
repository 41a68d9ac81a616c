// The runner's decisions, with the catalog replaced: a stopped runner must not start a job from a
// delivery pg-boss fetched just before stop() (that let a test process run a job meant for the
// worker it was about to kill); a job interrupted because PostgreSQL went away (a restart) resumes
// later instead of failing, and so does one interrupted by Kafka still loading after a restart.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "~/server/errors";
import type { JobHandler } from "~/server/services/jobs/types";

const catalog = vi.hoisted(() => ({
  jobLease: vi.fn(() => ({ tryAcquire: vi.fn(async () => false), held: false, release: vi.fn(async () => undefined) })),
  findJob: vi.fn(),
  transitionJob: vi.fn(async (id: number, _from: string[], data: object) => ({ id, ...data })),
  notify: vi.fn(async () => undefined),
  readJobRequest: vi.fn(async () => ({ status: "RUNNING", requested: null })),
  saveJobProgress: vi.fn(async () => undefined),
  sendDelivery: vi.fn(async () => "delivery-2"),
  setJobDelivery: vi.fn(async () => undefined),
  writeAudit: vi.fn(async () => undefined),
}));
vi.mock("~/server/catalog", async () => ({ CHANNELS: { jobs: "signalbox_jobs" }, ...catalog, ...(await vi.importActual<object>("~/server/catalog/unavailable")) }));

const { JobRunner, isRetryable } = await import("./runner");

const cluster = { name: "unit", brokers: ["127.0.0.1:1"], clientId: "unit", ssl: false, connectionTimeoutMs: 1000 };
const options = { workerId: "unit", concurrency: 1, reapIntervalMs: 1000, claimGraceMs: 1000, retryAfterMs: 1000 };

describe("JobRunner deliveries", () => {
  beforeEach(() => catalog.jobLease.mockClear());

  it("tries to take the job's lock while running", async () => {
    const runner = new JobRunner(async () => cluster, [], options);
    await runner.handleDelivery(7, "delivery-1");
    expect(catalog.jobLease).toHaveBeenCalledWith(7);
  });

  it("leaves a delivery alone once stopped, so it never starts the job", async () => {
    const runner = new JobRunner(async () => cluster, [], options);
    await runner.stop();
    await runner.handleDelivery(7, "delivery-1");
    expect(catalog.jobLease).not.toHaveBeenCalled();
  });
});

describe("a job interrupted by its surroundings", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    catalog.jobLease.mockImplementation(() => ({ tryAcquire: vi.fn(async () => true), held: true, release: vi.fn(async () => undefined) }));
    catalog.findJob.mockResolvedValue({ id: 7, kind: "unit", key: "k", status: "QUEUED", requested: null, params: {}, progress: {}, attempts: 0, startedAt: null, createdBy: "a@b.c" });
  });

  const failingWith = (error: unknown): JobHandler<never> =>
    ({ kind: "unit", paramsSchema: z.object({}), ratePerSec: () => null, run: async () => Promise.reject(error) }) as unknown as JobHandler<never>;
  const statusesWritten = () => catalog.transitionJob.mock.calls.map(([, , data]) => (data as { status: string }).status);

  it("is queued again to resume when PostgreSQL went away under it, with the reason, and not failed", async () => {
    const runner = new JobRunner(async () => cluster, [failingWith(new Error("Connection terminated unexpectedly"))], options);
    await runner.handleDelivery(7, "delivery-1");
    expect(statusesWritten()).toEqual(["RUNNING", "QUEUED"]);
    expect(catalog.transitionJob).toHaveBeenLastCalledWith(7, ["RUNNING"], expect.objectContaining({ status: "QUEUED", error: "PostgreSQL was unreachable (Connection terminated unexpectedly)." }));
    expect(catalog.sendDelivery).toHaveBeenCalledWith(7, { startAfterSeconds: 1 });
  });

  it("fails for a reason that retrying would not change", async () => {
    const runner = new JobRunner(async () => cluster, [failingWith(new AppError("BAD_REQUEST", "The target topic refused a record as too large."))], options);
    await runner.handleDelivery(7, "delivery-1");
    expect(statusesWritten()).toEqual(["RUNNING", "FAILED"]);
  });

  it("counts Kafka away or not ready, and PostgreSQL away, as reasons to resume later", () => {
    expect(isRetryable(new AppError("BROKER_NOT_READY", "Kafka is not ready yet (GROUP_LOAD_IN_PROGRESS)"))).toBe(true);
    expect(isRetryable(new AppError("BROKER_UNREACHABLE", "Kafka is unreachable"))).toBe(true);
    expect(isRetryable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isRetryable(new AppError("CONFLICT", "Another worker took over this job"))).toBe(false);
  });
});
