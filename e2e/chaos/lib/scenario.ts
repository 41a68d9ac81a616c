// What every chaos scenario does around its fault: numbered source records, a job started the way
// the pages start one, waiting for the job to be mid-way, timing the recovery, the job page's final
// state in Chromium, and the kcat ledger that proves exactly once.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import type { ManagedProcess } from "../../../scripts/lib/processes";
import { CHAOS_STACK } from "../../../scripts/lib/test-ports";
import { trpcMutation } from "./api";
import type { ChaosCatalog, JobState } from "./catalog";
import { account, createTopic, produceNumbered, wholeTopicRanges, type Ledger } from "./ledger";
import { CHAOS_ARTIFACTS, recordResult, type ChaosResult } from "./report";
import type { ChaosStack } from "./stack";

/** CHAOS_ROUNDS: how many times the full suite runs each scenario (1 by default). */
export const CHAOS_ROUNDS = (() => {
  const rounds = Number(process.env.CHAOS_ROUNDS || 1);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) throw new Error(`CHAOS_ROUNDS must be a whole number from 1 to 100, got "${process.env.CHAOS_ROUNDS}"`);
  return rounds;
})();

export const ROUNDS = Array.from({ length: CHAOS_ROUNDS }, (_, i) => i + 1);

/** Topic names unique to one scenario's round. */
export function runName(scenario: string, round: number): string {
  return `chaos-${scenario}-r${round}-${Date.now().toString(36)}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it gives a value; a probe that throws (the database restarting) is "not yet". */
export async function until<T>(what: string, probe: () => Promise<T | null | false | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== false && value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s (last error: ${last})`);
    await sleep(250);
  }
}

/** Exactly `count` workers running: starts more, or stops the newest extra ones. */
export async function keepWorkers(chaos: ChaosStack, count: number): Promise<ManagedProcess[]> {
  while (chaos.workers().length < count) chaos.spawnWorker();
  const extra = chaos.workers().slice(count);
  await Promise.all(extra.map((w) => w.stop(15_000)));
  return chaos.workers();
}

export interface StartedJob {
  id: number;
  kind: "replay" | "redrive";
  /** Where the records come from (the replay's source, the DLQ) and where the copies go. */
  source: string;
  target: string;
  records: number;
  idempotencyKey: string;
  /** The job's page. */
  href: string;
}

/** A source topic of `records` numbered records and an empty target, three partitions each. */
export async function seedReplay(chaos: ChaosStack, name: string, records: number): Promise<{ source: string; target: string }> {
  const source = `${name}-src`;
  const target = `${name}-dst`;
  await createTopic(CHAOS_STACK.kafkaPort, source, 3);
  await createTopic(CHAOS_STACK.kafkaPort, target, 3);
  await produceNumbered(chaos.bootstrap, source, records);
  return { source, target };
}

/** Starts a replay of the whole source as the replay page does (the dry run's ranges and count). */
export async function startReplay(chaos: ChaosStack, request: APIRequestContext, options: { name: string; records: number; ratePerSec: number }): Promise<StartedJob> {
  const { source, target } = await seedReplay(chaos, options.name, options.records);
  const ranges = await wholeTopicRanges(chaos.bootstrap, source);
  const idempotencyKey = randomUUID();
  const job = await trpcMutation<{ id: number }>(request, "replay.start", {
    request: { sourceTopic: source, range: { kind: "offsets", partitions: ranges }, targetTopic: target, partitionStrategy: { kind: "keep" }, ratePerSec: options.ratePerSec },
    ranges,
    dryRunCount: options.records,
    idempotencyKey,
  });
  return { id: job.id, kind: "replay", source, target, records: options.records, idempotencyKey, href: `/replay/jobs/${job.id}` };
}

/** A DLQ topic of `records` numbered failures whose headers name their original topic (empty, the redrive's target). */
export async function seedDlq(chaos: ChaosStack, name: string, records: number): Promise<{ dlq: string; original: string }> {
  const dlq = `${name}.DLQ`;
  const original = `${name}-orders`;
  await createTopic(CHAOS_STACK.kafkaPort, dlq, 2);
  await createTopic(CHAOS_STACK.kafkaPort, original, 3);
  await produceNumbered(chaos.bootstrap, dlq, records, [
    `x-original-topic=${original}`,
    "x-original-partition=0",
    "x-original-offset=1",
    "x-error-class=ChaosInjectedFailure",
    "x-error-message=failed on purpose by the chaos suite",
    "x-attempts=1",
  ]);
  return { dlq, original };
}

/** Redrives every pending record of a fresh DLQ to its original topic, as a group's "Redrive" button does. */
export async function startRedrive(chaos: ChaosStack, request: APIRequestContext, options: { name: string; records: number; ratePerSec: number }): Promise<StartedJob> {
  const { dlq, original } = await seedDlq(chaos, options.name, options.records);
  const idempotencyKey = randomUUID();
  // The server waits until the worker has read the whole DLQ into its index (DLQ_INDEX_WAIT_MS).
  const job = await until("the redrive starts once the DLQ is indexed", () =>
    trpcMutation<{ id: number; progress: { expected: number } }>(request, "dlq.redrive", { topic: dlq, selection: { kind: "filter", filter: {} }, ratePerSec: options.ratePerSec, idempotencyKey }),
  );
  expect(job.progress.expected, "the redrive claimed every record").toBe(options.records);
  return { id: job.id, kind: "redrive", source: dlq, target: original, records: options.records, idempotencyKey, href: `/dlq/jobs/${job.id}` };
}

/** Waits until the job is running and has written at least `written` records. */
export async function waitForWritten(catalog: ChaosCatalog, job: StartedJob, written: number): Promise<JobState> {
  return until(`job #${job.id} writes ${written} records`, async () => {
    const state = await catalog.job(job.id);
    if (state.status === "COMPLETED" || state.status === "FAILED" || state.status === "CANCELLED") throw new Error(`job #${job.id} ended (${state.status}) before the fault: ${state.error ?? ""}`);
    return state.status === "RUNNING" && state.written >= written ? state : null;
  });
}

/**
 * Opens the job's page, which then stays open through the fault (it must end showing the truth
 * without a reload), and waits until the job has written `share` of its records.
 */
export async function openJobPageMidJob(page: Page, catalog: ChaosCatalog, job: StartedJob, share: number): Promise<JobState> {
  await page.goto(job.href);
  await expect(page.getByTestId("job-page")).toBeVisible();
  return waitForWritten(catalog, job, Math.floor(job.records * share));
}

/** Milliseconds from `since` until the job wrote past `written` (or ended): how long it took to recover. */
export async function recoveryTime(catalog: ChaosCatalog, job: StartedJob, written: number, since: number): Promise<number> {
  await until(
    `job #${job.id} writes again after the fault`,
    async () => {
      const state = await catalog.job(job.id);
      return state.written > written || state.status === "COMPLETED" || state.status === "FAILED";
    },
    180_000,
  );
  return Date.now() - since;
}

/** The worker whose runner started or resumed the job last (from its log lines). */
export function runnerOf(chaos: ChaosStack, jobId: number): ManagedProcess {
  const starts = chaos.jobEvents(jobId).filter((e) => e.message === "job started" || e.message === "resuming job from its checkpoint");
  const name = starts.at(-1)?.worker;
  const worker = chaos.workers().find((w) => w.name === name);
  if (!worker) throw new Error(`no running worker runs job #${jobId} (started by: ${starts.map((s) => s.worker).join(", ") || "none"})`);
  return worker;
}

/** The page (left open on the job through the fault) shows the job's true final state: completed, every record written. */
export async function expectFinalJobPage(page: Page, job: StartedJob, screenshot: string): Promise<string> {
  await expect(page.getByTestId("job-title")).toContainText(`#${job.id}`);
  const status = page.getByTestId("job-status");
  await expect(status).toHaveAttribute("data-status", "COMPLETED", { timeout: 180_000 });
  await expect(page.getByTestId("job-written")).toHaveAttribute("data-value", String(job.records));
  await expect(page.getByTestId("job-error")).toHaveCount(0);
  await page.screenshot({ path: path.join(CHAOS_ARTIFACTS, `${screenshot}.png`), fullPage: true });
  return (await status.textContent()) ?? "";
}

/**
 * Records the scenario's row, then asserts exactly once: every source record in the target once,
 * byte for byte, nothing else there; for a redrive, every DLQ record REDRIVEN in the catalog too.
 */
export async function expectExactlyOnce(chaos: ChaosStack, catalog: ChaosCatalog, job: StartedJob, row: Omit<ChaosResult, "records" | "lost" | "duplicated">): Promise<Ledger> {
  const ledger = await account(chaos.bootstrap, job.source, job.target);
  recordResult({ ...row, records: ledger.records, lost: ledger.lost, duplicated: ledger.duplicated, note: [row.note, ledger.strays ? `${ledger.strays} stray copies` : ""].filter(Boolean).join("; ") });
  expect(ledger).toEqual({ records: job.records, copies: job.records, lost: 0, duplicated: 0, strays: 0 });
  if (job.kind === "redrive") expect(await catalog.dlqStates(job.source)).toEqual({ REDRIVEN: job.records });
  const final = await catalog.job(job.id);
  expect(final).toMatchObject({ status: "COMPLETED", written: job.records, error: null });
  return ledger;
}
