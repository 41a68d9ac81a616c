// A support person whose role is limited to some topics, in the real browser: they see and redrive
// the DLQ in their scope, do not see the other one, and the server refuses it when asked directly.
import { kcatProduce } from "../../scripts/lib/kcat";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { E2E_PASSWORD } from "../auth";
import { expect, test } from "../fixtures";

const bootstrap = `127.0.0.1:${E2E_STACK.kafkaPort}`;

test("support scoped to pay* topics redrives its DLQ only", async ({ page, request, browser }) => {
  test.setTimeout(120_000);
  const run = `scoped${Date.now().toString(36)}`;
  const [mine, theirs, source] = [`${run}-pay.DLQ`, `${run}-ord.DLQ`, `${run}-pay`];
  for (const topic of [mine, theirs, source]) await kafkaTool(E2E_STACK.kafkaPort, "kafka-topics", ["--create", "--topic", topic, "--partitions", "1"]);
  const failure = (topic: string) => ["x-error-class=CardDeclined", "x-error-message=declined", `x-original-topic=${topic}`, "x-original-partition=0", "x-original-offset=1"];
  await kcatProduce(bootstrap, mine, `k1\t{"eventId":"${run}-1"}\nk2\t{"eventId":"${run}-2"}\n`, failure(source));
  await kcatProduce(bootstrap, theirs, `k3\t{"eventId":"${run}-3"}\n`, failure(`${run}-ord`));

  // The admin (this spec's stored session) creates the person, with no role of their own, and the scoped role.
  const email = `${run}@signalbox.local`;
  const call = (procedure: string, input: unknown) => request.post(`/api/trpc/${procedure}`, { data: { json: input }, headers: { "content-type": "application/json" } });
  expect((await call("users.create", { email, name: "Scoped Support", role: null, password: E2E_PASSWORD })).status()).toBe(200);
  expect((await call("bindings.create", { principalKind: "user", principal: email, role: "support", topics: [`${run}-pay*`] })).status()).toBe(200);
  await page.goto("/settings");
  await expect(page.getByTestId(`binding-row-${email}`)).toContainText(`topics: ${run}-pay*`);
  await page.screenshot({ path: "e2e/artifacts/settings-scoped-roles.png", fullPage: true });

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const sam = await context.newPage();
  await sam.goto("/sign-in");
  await sam.getByTestId("sign-in-email").fill(email);
  await sam.getByTestId("sign-in-password").fill(E2E_PASSWORD);
  await sam.getByTestId("sign-in-submit").click();
  await expect(sam.getByTestId("user-role")).toHaveText(`support on topics ${run}-pay*`);
  await sam.goto("/dlq");
  const row = sam.locator(`[data-testid="dlq-topic-row"][data-topic="${mine}"]`);
  await expect(row.getByTestId("dlq-depth")).toHaveText("2");
  await expect(sam.locator(`[data-testid="dlq-topic-row"][data-topic="${theirs}"]`)).toHaveCount(0);
  await expect(sam.locator('[data-testid="dlq-topic-row"][data-topic="payments.DLQ"]')).toHaveCount(0);
  await row.getByRole("button", { name: mine }).click();
  const group = sam.getByTestId("dlq-group").first();
  await group.getByTestId("dlq-redrive-start").click();
  await expect(group.getByTestId("dlq-redrive-confirm")).toHaveText(`Redrive 2 to ${source}`);
  await group.getByTestId("dlq-redrive-confirm").click();
  const running = sam.getByTestId("dlq-running-job");
  await expect(running.getByTestId("job-status")).toHaveAttribute("data-status", "COMPLETED", { timeout: 60_000 });
  await expect(running.getByTestId("job-written")).toHaveAttribute("data-value", "2");
  await sam.screenshot({ path: "e2e/artifacts/dlq-scoped-support.png", fullPage: true });

  // The other DLQ, asked for directly with the same session: refused, naming the scope.
  const refused = await sam.request.post("/api/trpc/dlq.discard", { data: { json: { topic: theirs, selection: { kind: "positions", positions: [{ partition: 0, offset: 0 }] }, reason: "not mine" } }, headers: { "content-type": "application/json" } });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain(`has it only for topics ${run}-pay*`);
  await context.close();
});
