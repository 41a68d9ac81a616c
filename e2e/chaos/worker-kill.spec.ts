// The worker running a job SIGKILLed, twice in a row: each time the next worker (started after the
// kill) finds the job without a live runner (its advisory lock died with the process), delivers it
// again and resumes from the committed checkpoint. The third worker finishes it.
import { expect, test } from "./fixtures";
import { expectExactlyOnce, expectFinalJobPage, keepWorkers, openJobPageMidJob, recoveryTime, ROUNDS, runName, runnerOf, startReplay, waitForWritten } from "./lib/scenario";

const RECORDS = 3000;

for (const round of ROUNDS) {
  test(`the worker running a job SIGKILLed twice in a row, the job finishing on the next worker (round ${round}) @short`, async ({ chaos, catalog, page, request }) => {
    await keepWorkers(chaos, 1);
    const job = await startReplay(chaos, request, { name: runName("worker-kill", round), records: RECORDS, ratePerSec: 200 });
    await openJobPageMidJob(page, catalog, job, 0.25);
    const recoveries: number[] = [];
    for (const share of [0.25, 0.55]) {
      const before = await waitForWritten(catalog, job, Math.floor(RECORDS * share));
      const runner = runnerOf(chaos, job.id);
      const killedAt = Date.now();
      await runner.kill();
      chaos.spawnWorker();
      recoveries.push(await recoveryTime(catalog, job, before.written, killedAt));
    }

    const finalState = await expectFinalJobPage(page, job, `worker-kill-r${round}`);
    const starts = chaos.jobEvents(job.id).filter((e) => e.message === "job started" || e.message === "resuming job from its checkpoint");
    const finishedBy = chaos.jobEvents(job.id).filter((e) => e.message === "job completed").map((e) => e.worker);
    const { attempts } = await catalog.job(job.id);
    await expectExactlyOnce(chaos, catalog, job, {
      scenario: "Worker SIGKILL twice mid-replay",
      round,
      finalState,
      recoveryMs: Math.max(...recoveries),
      note: `${attempts} attempts on ${new Set(starts.map((s) => s.worker)).size} workers; resumed after ${recoveries.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(" and ")}`,
    });
    // Three workers ran it, one after the other, and the last one finished it.
    expect(new Set(starts.map((s) => s.worker)).size).toBe(3);
    expect(finishedBy).toEqual([starts.at(-1)!.worker]);
  });
}
