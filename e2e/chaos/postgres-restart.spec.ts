// PostgreSQL stopped in the middle of a job and started again a few seconds later: `-m fast`
// (open transactions rolled back, every connection closed, a clean checkpoint) during a replay, and
// `-m immediate` (a crash: no checkpoint, recovery from the WAL on start) during a redrive. The
// runner loses its connections and its job's advisory lock; the job must not be marked failed for
// that, and must resume from its committed checkpoint once the database answers again.
import type { Page } from "@playwright/test";
import type { ShutdownMode } from "../../scripts/lib/postgres-cluster";
import { expect, test } from "./fixtures";
import type { ChaosCatalog } from "./lib/catalog";
import { expectExactlyOnce, expectFinalJobPage, keepWorkers, recoveryTime, ROUNDS, runName, startRedrive, startReplay, waitForWritten, type StartedJob } from "./lib/scenario";
import type { ChaosStack } from "./lib/stack";

const RECORDS = 3000;
/** How long the database stays down: longer than one reconnect attempt of the web's and the worker's. */
const DOWN_MS = 4000;

async function restartPostgresMidJob(chaos: ChaosStack, catalog: ChaosCatalog, page: Page, job: StartedJob, mode: ShutdownMode): Promise<number> {
  await page.goto(job.href);
  await expect(page.getByTestId("job-page")).toBeVisible();
  const before = await waitForWritten(catalog, job, Math.floor(RECORDS * 0.3));
  const stoppedAt = Date.now();
  await chaos.restartPostgres(mode, DOWN_MS);
  return recoveryTime(catalog, job, before.written, stoppedAt);
}

for (const round of ROUNDS) {
  test(`PostgreSQL restarted with -m fast in the middle of a replay (round ${round})`, async ({ chaos, catalog, page, request }) => {
    await keepWorkers(chaos, 1);
    const job = await startReplay(chaos, request, { name: runName("pg-fast", round), records: RECORDS, ratePerSec: 200 });
    const recoveryMs = await restartPostgresMidJob(chaos, catalog, page, job, "fast");
    const finalState = await expectFinalJobPage(page, job, `postgres-fast-r${round}`);
    const { attempts } = await catalog.job(job.id);
    await expectExactlyOnce(chaos, catalog, job, { scenario: "PostgreSQL restart (-m fast) mid-replay", round, finalState, recoveryMs, note: `${attempts} attempt(s); down ${DOWN_MS / 1000} s` });
  });

  test(`PostgreSQL restarted with -m immediate in the middle of a redrive (round ${round})`, async ({ chaos, catalog, page, request }) => {
    await keepWorkers(chaos, 1);
    const job = await startRedrive(chaos, request, { name: runName("pg-immediate", round), records: RECORDS, ratePerSec: 200 });
    const recoveryMs = await restartPostgresMidJob(chaos, catalog, page, job, "immediate");
    const finalState = await expectFinalJobPage(page, job, `postgres-immediate-r${round}`);
    const { attempts } = await catalog.job(job.id);
    await expectExactlyOnce(chaos, catalog, job, { scenario: "PostgreSQL restart (-m immediate) mid-redrive", round, finalState, recoveryMs, note: `${attempts} attempt(s); down ${DOWN_MS / 1000} s` });
  });
}
