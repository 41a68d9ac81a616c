import path from "node:path";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

// Deleting a consumer group from its page: the name must be typed, a group with members is refused
// with Kafka's reason, an empty one is deleted (Kafka's own tool agrees) and the audit log says so.

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

test("an empty group is deleted after its name is typed; a group with members is refused with the reason", async ({ page, kafka }) => {
  const group = `e2e-stale-${Date.now()}`;
  // A group with committed offsets and no members, as a retired service leaves behind.
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-consumer-groups", ["--reset-offsets", "--group", group, "--topic", "orders", "--to-earliest", "--execute"]);

  // Refused: the demo's payment-service is consuming.
  await page.goto("/groups/payment-service");
  await page.getByTestId("delete-group-start").click();
  await page.getByTestId("delete-group-input").fill("payment-service");
  await page.getByTestId("delete-group-submit").click();
  await expect(page.getByTestId("delete-group-error")).toHaveText(/Kafka did not delete it: it has \d+ active members? \(state \w+\): stop its consumers first\./);
  expect(await kafka.groups()).toContain("payment-service");

  await page.goto(`/groups/${group}`);
  // The sampler lists group ids every cycle: a group created just now reaches the page within a cycle or two.
  await expect(page.getByTestId("group-state")).toContainText("Empty", { timeout: 20_000 });
  await page.getByTestId("delete-group-start").click();
  const submit = page.getByTestId("delete-group-submit");
  await page.getByTestId("delete-group-input").fill(group.slice(0, -1));
  await expect(submit).toBeDisabled();
  await page.getByTestId("delete-group-input").fill(group);
  await page.screenshot({ path: path.join(ARTIFACTS, "group-delete-confirm.png") });
  await submit.click();
  await expect(page.getByTestId("group-deleted")).toContainText("Consumer group deleted");
  await page.screenshot({ path: path.join(ARTIFACTS, "group-deleted.png") });
  expect(await kafka.groups()).not.toContain(group);

  await page.goto("/audit");
  await expect(page.getByText(group).first()).toBeVisible();
  await expect(page.getByText("group.delete", { exact: true }).first()).toBeVisible();
});
