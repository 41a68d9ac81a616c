// The broker SIGKILLed in the middle of a job and started again on the same data (log recovery, the
// transaction and group coordinators reloading their state), during a replay and during a redrive.
// The job must resume from its committed checkpoint by itself; its open transaction is aborted, so
// nothing it wrote twice is visible, and nothing is missing.
import { expect, test } from "./fixtures";
import { expectExactlyOnce, expectFinalJobPage, keepWorkers, recoveryTime, ROUNDS, runName, startRedrive, startReplay, waitForWritten, type StartedJob } from "./lib/scenario";
import type { ChaosStack } from "./lib/stack";
import type { ChaosCatalog } from "./lib/catalog";
import type { Page } from "@playwright/test";

const RECORDS = 3000;

async function killBrokerMidJob(chaos: ChaosStack, catalog: ChaosCatalog, page: Page, job: StartedJob): Promise<number> {
  // The job page stays open through the crash: it must end showing the truth without a reload.
  await page.goto(job.href);
  await expect(page.getByTestId("job-page")).toBeVisible();
  const before = await waitForWritten(catalog, job, Math.floor(RECORDS * 0.3));
  const crashedAt = Date.now();
  await chaos.killBroker();
  await chaos.startBroker();
  return recoveryTime(catalog, job, before.written, crashedAt);
}

for (const round of ROUNDS) {
  test(`broker SIGKILLed and restarted in the middle of a replay (round ${round}) @short`, async ({ chaos, catalog, page, request }) => {
    await keepWorkers(chaos, 1);
    const job = await startReplay(chaos, request, { name: runName("broker-replay", round), records: RECORDS, ratePerSec: 250 });
    const recoveryMs = await killBrokerMidJob(chaos, catalog, page, job);
    const finalState = await expectFinalJobPage(page, job, `broker-kill-replay-r${round}`);
    const { attempts } = await catalog.job(job.id);
    await expectExactlyOnce(chaos, catalog, job, { scenario: "Broker SIGKILL mid-replay", round, finalState, recoveryMs, note: `${attempts} attempt(s)` });
  });

  test(`broker SIGKILLed and restarted in the middle of a redrive (round ${round})`, async ({ chaos, catalog, page, request }) => {
    await keepWorkers(chaos, 1);
    const job = await startRedrive(chaos, request, { name: runName("broker-redrive", round), records: RECORDS, ratePerSec: 250 });
    const recoveryMs = await killBrokerMidJob(chaos, catalog, page, job);
    const finalState = await expectFinalJobPage(page, job, `broker-kill-redrive-r${round}`);
    const { attempts } = await catalog.job(job.id);
    await expectExactlyOnce(chaos, catalog, job, { scenario: "Broker SIGKILL mid-redrive", round, finalState, recoveryMs, note: `${attempts} attempt(s)` });
  });
}
