import path from "node:path";
import { E2E_PASSWORD, ACCOUNT } from "../auth";
import { expect, test } from "../fixtures";
import { SchemasListPage } from "../pages/schemas-page";

// Topic bindings on the event type's page (issue 17): the admin binds a second topic with a long
// name from the add control, sees the registry answer to both `<topic>-value` subjects, unbinds the
// first after a confirmation, and the subject goes while the schema stays under the event type's
// own subject; the audit log has both changes. A viewer sees the list without the controls.
const SHOTS = path.join(import.meta.dirname, "../artifacts");
const run = Date.now().toString(36);

test("bind a topic with a long name, unbind another; the registry's <topic>-value subjects and the audit log follow", async ({ page, request, browser }) => {
  const name = `ParcelRouted${run}`;
  const topic = `e2e-routes-${run}`;
  const longTopic = `e2e-${"warehouse.eu-central.parcel-routing.".repeat(5)}${run}`;
  const list = new SchemasListPage(page);
  await list.goto();
  await list.register({ name, domain: "logistics", owner: "warehouse", topics: topic, schema: { title: name, type: "object", additionalProperties: false, properties: { parcelId: { type: "string" } } } });
  await expect(page).toHaveURL(new RegExp(`/schemas/${name}$`));

  const bindings = page.getByTestId("topic-bindings");
  const row = (t: string) => bindings.locator(`[data-testid="topic-binding"][data-topic="${t}"]`);
  await expect(row(topic)).toContainText(`${topic}-value`);
  await expect(page.getByTestId("detail-topic-count")).toHaveText("1 bound");

  // A name Kafka refuses is caught before it is sent.
  const input = bindings.getByTestId("topic-bind-input");
  await input.fill("not a topic!");
  await expect(bindings.getByTestId("topic-bind-problem")).toContainText("Not a Kafka topic name");
  await expect(bindings.getByTestId("topic-bind-submit")).toBeDisabled();
  await input.fill(longTopic);
  await expect(bindings.getByTestId("topic-bind-missing")).toContainText("No topic named");
  await bindings.getByTestId("topic-bind-submit").click();
  await expect(row(longTopic)).toBeVisible();
  await expect(input).toHaveValue("");
  await expect(page.getByTestId("detail-topic-count")).toHaveText("2 bound");
  // The long name wraps inside the card: the page does not scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await bindings.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, "schemas-topic-bindings.png"), fullPage: true });

  const subjects = async () => (await (await request.get("/api/schema-registry/subjects")).json()) as string[];
  expect(await subjects()).toEqual(expect.arrayContaining([name, `${topic}-value`, `${longTopic}-value`]));

  // Unbind the first, after a confirmation that says what happens to its subject.
  await row(topic).getByTestId("topic-unbind").click();
  const confirm = row(topic).getByTestId("topic-unbind-confirm");
  await expect(confirm).toContainText(`The registry subject ${topic}-value goes away with it. Every version stays under the subject ${name}`);
  await page.screenshot({ path: path.join(SHOTS, "schemas-topic-unbind-confirm.png"), fullPage: true });
  await confirm.getByTestId("topic-unbind-confirm-button").click();
  await expect(row(topic)).toHaveCount(0);
  await expect(row(longTopic)).toBeVisible();
  const after = await subjects();
  expect(after).not.toContain(`${topic}-value`);
  expect(after).toEqual(expect.arrayContaining([name, `${longTopic}-value`]));
  expect((await request.get(`/api/schema-registry/subjects/${name}/versions`)).status()).toBe(200);

  await page.goto("/audit");
  const audit = page.getByTestId("audit-table").locator("tbody tr");
  await expect(audit.filter({ hasText: "event-type.topics.unbind" }).filter({ hasText: name })).toHaveCount(1);
  await expect(audit.filter({ hasText: "event-type.topics.bind" }).filter({ hasText: name })).toHaveCount(1);

  // A viewer reads the bindings but gets no control to change them.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await context.newPage();
  await viewer.goto("/sign-in");
  await viewer.getByTestId("sign-in-email").fill(ACCOUNT.viewer);
  await viewer.getByTestId("sign-in-password").fill(E2E_PASSWORD);
  await viewer.getByTestId("sign-in-submit").click();
  await viewer.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await viewer.goto(`/schemas/${name}`);
  await expect(viewer.locator(`[data-testid="topic-binding"][data-topic="${longTopic}"]`)).toBeVisible();
  await expect(viewer.getByTestId("topic-unbind")).toHaveCount(0);
  await expect(viewer.getByTestId("topic-bind-form")).toHaveCount(0);
  await context.close();
});
