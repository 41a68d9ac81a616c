// The web process SIGKILLed while a redrive is being started from the DLQ page: before the request
// reaches it, while it handles it, or after it answered but before the answer left. The browser
// talks to the web through the suite's proxy, which answers 502 while the web is down. Whatever the
// moment, the start created exactly one job or none (and no claimed records without a job); after the
// web is back, the same submission (the form keeps its idempotency key until it succeeds) returns
// that job or starts the only one. The page stays open throughout: its live streams ended in an
// error and must reopen by themselves, so the running job's progress reaches "completed" on it.
import { randomInt } from "node:crypto";
import path from "node:path";
import { formatCount } from "../../src/lib/format";
import { NO_ANSWER } from "../../src/trpc/error-text";
import { expect, test } from "./fixtures";
import { CHAOS_ARTIFACTS } from "./lib/report";
import { expectExactlyOnce, expectFinalJobPage, keepWorkers, ROUNDS, runName, seedDlq, type StartedJob } from "./lib/scenario";

const RECORDS = 1000;

type KillPoint = "before" | "during" | "after";
const KILL_POINTS: { point: KillPoint; when: string; short: boolean }[] = [
  { point: "before", when: "before the redrive start reaches it", short: false },
  { point: "during", when: "while it handles the redrive start", short: true },
  { point: "after", when: "after it answered the redrive start, before the answer left", short: true },
];

const submissionKeyOf = (body: Buffer) => body.toString("utf8").match(/"idempotencyKey":"([0-9a-f-]{36})"/)?.[1] ?? null;

for (const round of ROUNDS) {
  for (const { point, when, short } of KILL_POINTS) {
    test(`the web SIGKILLed ${when} (round ${round})${short ? " @short" : ""}`, async ({ chaos, catalog, page }) => {
      await keepWorkers(chaos, 1);
      const { dlq, original } = await seedDlq(chaos, runName(`web-${point}`, round), RECORDS);

      await page.goto("/dlq");
      const row = page.locator(`[data-testid="dlq-topic-row"][data-topic="${dlq}"]`);
      await row.getByRole("button", { name: dlq }).click();
      const group = page.getByTestId("dlq-group").first();
      await expect(group.getByTestId("dlq-group-count")).toHaveText(formatCount(RECORDS), { timeout: 60_000 });
      await group.getByTestId("dlq-redrive-start").click();
      await group.getByTestId("dlq-rate").fill("250");

      // The proxy lets the test kill the web at the chosen moment of this one request.
      let submission: string | null = null;
      let forwardedAt = 0;
      let killedAt = 0;
      let killing: Promise<void> | null = null;
      const kill = () => (killing ??= (async () => {
        killedAt = Date.now();
        await chaos.killWeb();
      })());
      chaos.proxy.tap({
        match: (r) => r.method === "POST" && r.url.startsWith("/api/trpc/dlq.redrive"),
        beforeForward: async (request) => {
          submission = submissionKeyOf(request.body);
          if (point === "before") await kill();
          forwardedAt = Date.now();
          // Somewhere in the web's handling (a few hundred ms here): checking the index, claiming the
          // records and creating the job, answering. Which of those it cut is in the results table.
          if (point === "during") setTimeout(() => void kill(), randomInt(0, 600));
        },
        onResponse: async () => {
          await kill();
          return "drop";
        },
      });
      await group.getByTestId("dlq-redrive-confirm").click();
      await expect(group.getByTestId("dlq-action-error")).toHaveText(NO_ANSWER);
      await killing;
      expect(submission, "the redrive request carried the form's idempotency key").not.toBeNull();

      // Exactly one job or none, and no record claimed without a job.
      const startedBeforeRestart = await catalog.jobsOfSubmission(submission!);
      expect(startedBeforeRestart.length).toBeLessThanOrEqual(1);
      if (point === "before") expect(startedBeforeRestart).toEqual([]);
      if (point === "after") expect(startedBeforeRestart).toHaveLength(1);
      expect(await catalog.claimsWithoutJob(dlq)).toBe(0);
      // What the user sees while the web is down: the form, its answer, the records still pending.
      await group.getByTestId("dlq-action-error").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(CHAOS_ARTIFACTS, `web-kill-${point}-down-r${round}.png`) });

      // The web comes back; the user submits again from the same form.
      await chaos.startWeb();
      await group.getByTestId("dlq-redrive-confirm").click();
      const running = page.getByTestId("dlq-running-job");
      const link = running.getByRole("link", { name: /^#\d+$/ });
      await expect(link).toBeVisible();
      const recoveryMs = Date.now() - killedAt;
      const jobId = Number((await link.textContent())!.slice(1));
      expect(await catalog.jobsOfSubmission(submission!)).toEqual([jobId]);
      if (startedBeforeRestart.length === 1) expect(jobId).toBe(startedBeforeRestart[0]);

      // Live progress on the page that lived through the crash, then the job's own page.
      await expect(running.getByTestId("job-status")).toHaveAttribute("data-status", "COMPLETED", { timeout: 120_000 });
      await link.click();
      const job: StartedJob = { id: jobId, kind: "redrive", source: dlq, target: original, records: RECORDS, idempotencyKey: submission!, href: `/dlq/jobs/${jobId}` };
      const finalState = await expectFinalJobPage(page, job, `web-kill-${point}-r${round}`);
      await expectExactlyOnce(chaos, catalog, job, {
        scenario: `Web SIGKILL ${when}`,
        round,
        finalState,
        recoveryMs,
        note: [
          point === "during" ? `killed ${Math.max(0, killedAt - forwardedAt)} ms into the request;` : "",
          startedBeforeRestart.length === 1 ? "the start had created the job; the retry returned it" : "the start had created nothing; the retry started the job",
        ].filter(Boolean).join(" "),
      });
    });
  }
}
