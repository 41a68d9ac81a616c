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
