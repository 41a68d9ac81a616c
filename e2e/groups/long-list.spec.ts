import path from "node:path";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures";

// The groups list as a long list: the server filters and sorts it and the browser holds a window of
// rows (lag.groupsPage). A filter finds one group among hundreds; scrolling loads the windows further
// down until the last row; a filter that matches nothing says so. The groups are deleted again
// afterwards: later specs (the topology's) draw every group on the shared broker.

const SHOTS = path.join(import.meta.dirname, "../artifacts");
const COUNT = 250;

test("a filter finds one group among hundreds, and scrolling the long list reaches its last row", async ({ page }) => {
  test.setTimeout(120_000);
  const prefix = `e2e-many-${Date.now()}`;
  const groups = Array.from({ length: COUNT }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  // One run of Kafka's own tool commits offsets for every group (memberless groups, as retired services leave).
  await kafkaTool(E2E_STACK.kafkaPort, "kafka-consumer-groups", ["--reset-offsets", ...groups.flatMap((g) => ["--group", g]), "--topic", "orders", "--to-earliest", "--execute"]);
  try {
    await longList(page, prefix, groups);
  } finally {
    await kafkaTool(E2E_STACK.kafkaPort, "kafka-consumer-groups", ["--delete", ...groups.flatMap((g) => ["--group", g])]);
  }
});

async function longList(page: Page, prefix: string, groups: string[]): Promise<void> {

  await page.goto("/c/local/groups");
  const filter = page.getByTestId("group-filter");
  const count = page.getByTestId("group-count");
  const row = (group: string) => page.locator(`[data-testid="group-row"][data-group="${group}"]`);
  await filter.fill(prefix);
  // The sampler lists group ids every cycle: new groups reach the list within a cycle or two.
  await expect(count).toHaveText(new RegExp(`^${COUNT} of `), { timeout: 30_000 });

  await filter.fill(groups[137]!.toUpperCase());
  await expect(count).toHaveText(/^1 of /);
  await expect(page.getByTestId("group-row")).toHaveCount(1);
  await expect(row(groups[137]!)).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, "groups-long-list-one-match.png"), fullPage: true });

  await filter.fill(prefix);
  await expect(count).toHaveText(new RegExp(`^${COUNT} of `));
  await page.getByTestId("sort-group").click();
  const firstShown = page.locator('[data-testid="group-row"][aria-rowindex="2"]');
  await expect(firstShown).toHaveAttribute("data-group", groups[0]!);
  // Virtualised: a screenful of rows (and some overscan) is in the page, not all of them.
  expect(await page.getByTestId("group-row").count()).toBeLessThan(60);
  await expect(row(groups[COUNT - 1]!)).toHaveCount(0);

  const table = page.getByTestId("groups-table");
  await expect(table).toHaveAttribute("data-row-count", String(COUNT));
  // Scrolled to the bottom, the last window of rows loads and the last group shows, in its place.
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = row(groups[COUNT - 1]!);
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute("aria-rowindex", String(COUNT + 1));
  await expect(row(groups[COUNT - 2]!)).toHaveAttribute("aria-rowindex", String(COUNT));
  await page.screenshot({ path: path.join(SHOTS, "groups-long-list-scrolled.png"), fullPage: true });

  // Descending by name, the last group comes first. Meanwhile the table keeps the rows it has (dimmed
  // as busy) rather than giving way to a loading card and mounting every row again.
  await table.evaluate((el) => {
    const w = window as unknown as { tableLeft: boolean };
    w.tableLeft = false;
    new MutationObserver(() => {
      if (!el.isConnected) w.tableLeft = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.getByTestId("sort-group").click();
  await expect(firstShown).toHaveAttribute("data-group", groups[COUNT - 1]!);
  await filter.fill(groups[COUNT - 2]!);
  await expect(count).toHaveText(/^1 of /);
  expect(await page.evaluate(() => (window as unknown as { tableLeft: boolean }).tableLeft)).toBe(false);

  await filter.fill("no-group-is-called-this");
  await expect(page.getByTestId("groups-no-match")).toContainText("Nothing matches “no-group-is-called-this”");
  await page.screenshot({ path: path.join(SHOTS, "groups-long-list-no-match.png"), fullPage: true });
}
