import path from "node:path";
import { expect, test } from "../fixtures";

// A connector's lifecycle on the real Kafka Connect worker the global setup starts for the default
// cluster ("connect", e2e/global-setup.ts): created from JSON, RUNNING, paused, resumed, restarted
// (all, then one task) and deleted, through the pages, as an admin.
const shots = path.join(import.meta.dirname, "../artifacts");

test("a connector's lifecycle: create from JSON, RUNNING, pause, resume, restart, delete", async ({ page }) => {
  const name = `e2e-sink-${Date.now()}`;
  await page.goto("/c/local/connect");
  await expect(page.getByTestId("connect-cluster")).toHaveAttribute("data-connect", "connect");
  await page.getByTestId("connector-new-start").click();
  const json = {
    name,
    config: {
      "connector.class": "FileStreamSink",
      "tasks.max": "1",
      topics: "orders",
      // The demo's order ids are plain text, not JSON.
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      file: `/tmp/${name}.txt`,
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": `${name}.DLQ`,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    },
  };
  await page.getByTestId("connector-new-json").fill(JSON.stringify(json, null, 2));
  await page.getByTestId("connector-new-submit").click();
  const row = page.locator(`[data-testid="connector-row"][data-connector="${name}"]`);
  await expect(row).toHaveAttribute("data-state", "RUNNING", { timeout: 30_000 });
  await expect(row.getByTestId("connector-dlq")).toHaveText(`${name}.DLQ`);
  await expect(row.getByTestId("connector-tasks")).toContainText("RUNNING");
  await page.screenshot({ path: path.join(shots, "connect-list.png"), fullPage: true });

  // The same name again: Connect's own reason is shown.
  await page.getByTestId("connector-new-start").click();
  await page.getByTestId("connector-new-json").fill(JSON.stringify(json));
  await page.getByTestId("connector-new-submit").click();
  await expect(page.getByTestId("connector-new-error")).toContainText(`Connector ${name} already exists`);
  await page.getByRole("button", { name: "Cancel" }).click();

  await row.getByTestId("connector-link").click();
  await expect(page.getByTestId("connector-title")).toHaveText(name);
  const state = page.getByTestId("connector-page").locator('header [data-testid="connector-state"]');
  await expect(state).toHaveText("RUNNING");
  await page.getByTestId("connector-pause").click();
  await expect(state).toHaveText("PAUSED", { timeout: 20_000 });
  await expect(page.getByTestId("task-state")).toHaveText("PAUSED", { timeout: 20_000 });
  await page.getByTestId("connector-resume").click();
  await expect(state).toHaveText("RUNNING", { timeout: 20_000 });
  await page.getByTestId("connector-restart").click();
  await expect(state).toHaveText("RUNNING", { timeout: 20_000 });
  await page.getByTestId("task-restart").click();
  await expect(page.getByTestId("task-state")).toHaveText("RUNNING", { timeout: 20_000 });
  await expect(page.getByTestId("connector-action-error")).toHaveCount(0);
  await expect(page.getByTestId("task-restart-error")).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, "connector-page.png"), fullPage: true });

  await page.getByTestId("connector-delete-start").click();
  await page.getByTestId("connector-delete").getByRole("textbox").fill(name);
  await page.getByTestId("connector-delete").getByRole("button", { name: "Delete connector" }).click();
  await expect(page).toHaveURL(/\/c\/local\/connect$/);
  await expect(page.locator(`[data-testid="connector-row"][data-connector="${name}"]`)).toHaveCount(0, { timeout: 20_000 });

  // Each action is in the audit log.
  await page.goto("/audit");
  for (const action of ["connector.create", "connector.create-refused", "connector.pause", "connector.resume", "connector.restart", "connector.restart-task", "connector.delete"]) {
    await expect(page.getByText(action, { exact: true }).first()).toBeVisible();
  }
});
