import path from "node:path";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

// Deleting several consumer groups from the list: only empty groups can be picked, the count must be
// typed, Kafka's own tool agrees they are gone, and the audit log has one entry per group.

const SHOTS = path.join(import.meta.dirname, "../artifacts");

test("several empty groups are selected and deleted at once; a group with members cannot be picked", async ({ page, kafka }) => {
  const prefix = `e2e-bulk-${Date.now()}`;
  const groups = [1, 2, 3].map((i) => `${prefix}-${i}`);
  // Groups with committed offsets and no members, as retired services leave behind.
  for (const group of groups) await kafkaTool(E2E_STACK.kafkaPort, "kafka-consumer-groups", ["--reset-offsets", "--group", group, "--topic", "orders", "--to-earliest", "--execute"]);

  await page.goto("/c/local/groups");
  // A group with members is never selectable.
  const busy = page.locator('[data-testid="group-row"][data-group="payment-service"]');
  await expect(busy.getByTestId("group-select")).toBeDisabled();
  await expect(busy.getByTestId("group-select")).toHaveAttribute("title", /active members?: stop its consumers first/);

  await page.getByTestId("group-filter").fill(prefix);
  // The list is the sampler's: the groups appear within a sample.
  // The sampler lists group ids every cycle: new groups reach the list within a cycle or two.
  await expect(page.getByTestId("group-row")).toHaveCount(3, { timeout: 20_000 });
  await page.getByTestId("select-empty-groups").click();
  await expect(page.getByTestId("group-select").and(page.locator(":checked"))).toHaveCount(3);
  await page.getByTestId("bulk-delete-start").click();
  await expect(page.getByTestId("bulk-delete-names")).toContainText(groups.join(", "));
  const submit = page.getByTestId("bulk-delete-submit");
  await page.getByTestId("bulk-delete-input").fill("delete 3 group");
  await expect(submit).toBeDisabled();
  await page.getByTestId("bulk-delete-input").fill("delete 3 groups");
  await page.screenshot({ path: path.join(SHOTS, "groups-bulk-delete-confirm.png"), fullPage: true });
  await submit.click();
  await expect(page.getByTestId("bulk-delete-result")).toContainText("Deleted 3 groups");
  await page.screenshot({ path: path.join(SHOTS, "groups-bulk-deleted.png"), fullPage: true });
  const remaining = await kafka.groups();
  for (const group of groups) expect(remaining).not.toContain(group);

  await page.goto("/audit");
  const rows = page.getByTestId("audit-table").locator("tbody tr");
  for (const [i, group] of [...groups].reverse().entries()) {
    await expect(rows.nth(i)).toContainText("group.delete");
    await expect(rows.nth(i)).toContainText(group);
  }
});
