// Polls a durable job until `done` holds; for integration tests and benchmarks.
import { getJob, type JobView } from "../../src/server/services/jobs/jobs";

export async function waitForJob(id: number, done: (job: JobView) => boolean, timeoutMs = 60_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(id);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job #${id} still ${job.status} (written ${job.progress.written}) after ${timeoutMs} ms: ${job.error ?? ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The kill -9 scenario of the replay and redrive tests: `workers` has no worker yet; one starts and
 * runs the job until it has written `atWritten`, is SIGKILLed mid-job, then two fresh workers race
 * for it (its lock and Kafka's fencing let one run it) until it ends. Returns how much was written
 * when the first died and how long the job took to write again; the caller checks the outcome.
 */
export async function killWorkerMidJob(
  workers: { spawn(): { child: { pid?: number }; exited: Promise<unknown> }; printLastLines(): void; stopAll(): Promise<void> },
  id: number,
  options: { atWritten: number; onKilled?: () => Promise<void>; timeoutMs?: number },
): Promise<{ killedAt: JobView; writtenAtKill: number; resumedAfterMs: number; done: JobView }> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  try {
    const first = workers.spawn();
    const killedAt = await waitForJob(id, (j) => j.progress.written >= options.atWritten || j.status === "COMPLETED", timeoutMs);
    process.kill(-first.child.pid!, "SIGKILL");
    await first.exited;
    const writtenAtKill = (await getJob(id)).progress.written;
    await options.onKilled?.();
    const restartedAt = Date.now();
    workers.spawn();
    workers.spawn();
    await waitForJob(id, (j) => j.progress.written > writtenAtKill || j.status === "COMPLETED", timeoutMs);
    const resumedAfterMs = Date.now() - restartedAt;
    const done = await waitForJob(id, (j) => j.status === "COMPLETED" || j.status === "FAILED", timeoutMs * 1.5);
    return { killedAt, writtenAtKill, resumedAfterMs, done };
  } catch (error) {
    workers.printLastLines();
    throw error;
  } finally {
    await workers.stopAll();
  }
}
