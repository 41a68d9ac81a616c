// Two workers racing for the same job, both running: pg-boss hands the delivery to one, and the
// job's advisory lock and conditional state changes make sure only one runner works on it. Then
// the runner is SIGKILLed with two workers left: both reapers see the orphan and deliver it again,
// both poll, and again exactly one resumes it. The result is written exactly once.
import { expect, test } from "./fixtures";
import { expectExactlyOnce, expectFinalJobPage, keepWorkers, openJobPageMidJob, recoveryTime, ROUNDS, runName, runnerOf, startReplay } from "./lib/scenario";

const RECORDS = 3000;
const isStart = (message: string) => message === "job started" || message === "resuming job from its checkpoint";

for (const round of ROUNDS) {
  test(`two workers racing for the same job, and again for its redelivery after its runner died (round ${round})`, async ({ chaos, catalog, page, request }) => {
    await keepWorkers(chaos, 2);
    const job = await startReplay(chaos, request, { name: runName("worker-race", round), records: RECORDS, ratePerSec: 200 });
    // Both workers poll the queue; exactly one started the job.
    const before = await openJobPageMidJob(page, catalog, job, 0.3);
    expect(chaos.jobEvents(job.id).filter((e) => isStart(e.message))).toHaveLength(1);
    expect(before.attempts).toBe(1);

    // Its runner dies with two other workers running: they race for the redelivery.
    const runner = runnerOf(chaos, job.id);
    chaos.spawnWorker();
    const killedAt = Date.now();
    await runner.kill();
    const recoveryMs = await recoveryTime(catalog, job, before.written, killedAt);

    const finalState = await expectFinalJobPage(page, job, `worker-race-r${round}`);
    const starts = chaos.jobEvents(job.id).filter((e) => isStart(e.message));
    const { attempts } = await catalog.job(job.id);
    await expectExactlyOnce(chaos, catalog, job, { scenario: "Two workers racing (start, then redelivery)", round, finalState, recoveryMs, note: `${attempts} attempts: ${starts.map((s) => s.worker).join(", then ")}` });
    // Exactly one runner per delivery won: one start, one resume, never two at once.
    expect(starts).toHaveLength(2);
    expect(attempts).toBe(2);
    expect(starts[1]!.worker).not.toBe(runner.name);
    expect(chaos.jobEvents(job.id).filter((e) => e.message === "job completed")).toHaveLength(1);
  });
}
