// The broker SIGKILLed in the middle of a job and started again on the same data (log recovery, the
// transaction and group coordinators reloading their state), during a replay and during a redrive.
// The job must resume from its committed checkpoint by itself; its open transaction is aborted, so
// nothing it wrote twice is visible, and nothing is missing.
import { test } from "./fixtures";
import { expectExactlyOnce, expectFinalJobPage, keepWorkers, openJobPageMidJob, recoveryTime, ROUNDS, runName, startRedrive, startReplay } from "./lib/scenario";

const RECORDS = 3000;
const JOBS = [
  { kind: "replay", start: startReplay, short: true },
  { kind: "redrive", start: startRedrive, short: false },
] as const;

for (const round of ROUNDS) {
  for (const { kind, start, short } of JOBS) {
    test(`broker SIGKILLed and restarted in the middle of a ${kind} (round ${round})${short ? " @short" : ""}`, async ({ chaos, catalog, page, request }) => {
      await keepWorkers(chaos, 1);
      const job = await start(chaos, request, { name: runName(`broker-${kind}`, round), records: RECORDS, ratePerSec: 250 });
      const before = await openJobPageMidJob(page, catalog, job, 0.3);
      const crashedAt = Date.now();
      await chaos.killBroker();
      await chaos.startBroker();
      const recoveryMs = await recoveryTime(catalog, job, before.written, crashedAt);

      const finalState = await expectFinalJobPage(page, job, `broker-kill-${kind}-r${round}`);
      const { attempts } = await catalog.job(job.id);
      await expectExactlyOnce(chaos, catalog, job, { scenario: `Broker SIGKILL mid-${kind}`, round, finalState, recoveryMs, note: `${attempts} attempt(s)` });
    });
  }
}
