// PostgreSQL stopped in the middle of a job and started again a few seconds later: `-m fast`
// (open transactions rolled back, every connection closed, a clean checkpoint) during a replay, and
// `-m immediate` (a crash: no checkpoint, recovery from the WAL on start) during a redrive. The
// runner loses its connections and its job's advisory lock; the job must not be marked failed for
// that, and must resume from its committed checkpoint once the database answers again. The web's
// live streams lose their LISTEN connection too, and the open page must still see the job end.
import { test } from "./fixtures";
import { expectExactlyOnce, expectFinalJobPage, keepWorkers, openJobPageMidJob, recoveryTime, ROUNDS, runName, startRedrive, startReplay } from "./lib/scenario";

const RECORDS = 3000;
/** How long the database stays down: longer than one reconnect attempt of the web's and the worker's. */
const DOWN_MS = 4000;
const CASES = [
  { mode: "fast", kind: "replay", start: startReplay },
  { mode: "immediate", kind: "redrive", start: startRedrive },
] as const;

for (const round of ROUNDS) {
  for (const { mode, kind, start } of CASES) {
    test(`PostgreSQL restarted with -m ${mode} in the middle of a ${kind} (round ${round})`, async ({ chaos, catalog, page, request }) => {
      await keepWorkers(chaos, 1);
      const job = await start(chaos, request, { name: runName(`pg-${mode}`, round), records: RECORDS, ratePerSec: 200 });
      const before = await openJobPageMidJob(page, catalog, job, 0.3);
      const stoppedAt = Date.now();
      await chaos.restartPostgres(mode, DOWN_MS);
      const recoveryMs = await recoveryTime(catalog, job, before.written, stoppedAt);

      const finalState = await expectFinalJobPage(page, job, `postgres-${mode}-r${round}`);
      const { attempts } = await catalog.job(job.id);
      await expectExactlyOnce(chaos, catalog, job, { scenario: `PostgreSQL restart (-m ${mode}) mid-${kind}`, round, finalState, recoveryMs, note: `${attempts} attempt(s); down ${DOWN_MS / 1000} s` });
    });
  }
}
