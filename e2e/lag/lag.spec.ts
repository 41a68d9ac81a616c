import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "../fixtures";

// Lag monitoring against the demo system: `notification-service` is deliberately slow, so it lags
// behind `orders` and `payments` while the demo runs. The sampler stores a point every 5 s.

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const SLOW_GROUP = "notification-service";

class GroupsPage {
  constructor(readonly page: Page) {}
  goto() {
    return this.page.goto("/groups");
  }
  row(groupId: string): Locator {
    return this.page.locator(`[data-testid="group-row"][data-group="${groupId}"]`);
  }
}

class GroupDetailPage {
  readonly lagChart: Locator;
  readonly partitionRows: Locator;
  constructor(readonly page: Page) {
    this.lagChart = page.getByTestId("lag-chart");
    this.partitionRows = page.getByTestId("partition-row");
  }
  /** Points the lag chart draws (values it has), and its drawn path. */
  async chartState() {
    const points = Number(await this.lagChart.getAttribute("data-points"));
    const lastAt = Number(await this.lagChart.getAttribute("data-last-at"));
    const path = await this.lagChart.locator("path.recharts-area-curve").first().getAttribute("d");
    return { points, lastAt, path };
  }
}

class TopicsPage {
  readonly filter: Locator;
  readonly count: Locator;
  readonly rows: Locator;
  constructor(readonly page: Page) {
    this.filter = page.getByTestId("topic-filter");
    this.count = page.getByTestId("topic-count");
    this.rows = page.getByTestId("topic-row");
  }
  goto() {
    return this.page.goto("/topics");
  }
  row(topic: string): Locator {
    return this.page.locator(`[data-testid="topic-row"][data-topic="${topic}"]`);
  }
  async shownTopics(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.topic ?? ""));
  }
  /** "3 of 5" → [3, 5] */
  async counts(): Promise<[number, number]> {
    const text = (await this.count.textContent()) ?? "";
    const match = text.replace(/,/g, "").match(/(\d+) of (\d+)/);
    if (!match) throw new Error(`Unexpected count text "${text}"`);
    return [Number(match[1]), Number(match[2])];
  }
}

test("the slow notification-service lags with WARN or ERR, and its lag chart grows without a reload", async ({ page }) => {
  // Its status needs a full window of samples (10 × 5 s) after the demo starts.
  test.setTimeout(240_000);
  const groups = new GroupsPage(page);
  await groups.goto();

  const row = groups.row(SLOW_GROUP);
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(await row.getByTestId("lag-cell").getAttribute("data-lag")), { timeout: 90_000 }).toBeGreaterThan(0);
  await expect(row).toHaveAttribute("data-status", /^(WARN|ERR)$/, { timeout: 150_000 });
  await expect(row.getByTestId("status-badge")).toHaveText(/^(WARN|ERR)$/);
  await expect(page.getByTestId("status-summary")).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "lag-groups.png"), fullPage: true });

  await row.getByTestId("group-link").click();
  await expect(page).toHaveURL(`/c/local/groups/${SLOW_GROUP}`);
  const detail = new GroupDetailPage(page);
  await expect(page.getByTestId("group-id")).toHaveText(SLOW_GROUP);
  await expect(detail.partitionRows.first()).toBeVisible();
  // It consumes orders and payments; every partition has a lag cell, "-" only without a commit.
  await expect.poll(async () => (await detail.partitionRows.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.topic))).sort().join(",")).toMatch(/orders.*payments/);
  await expect(detail.partitionRows.getByTestId("lag-cell").first()).toHaveText(/^(-|[\d,]+)/);
  await expect(page.getByTestId("members-table")).toContainText(SLOW_GROUP);

  await expect.poll(async () => (await detail.chartState()).points, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  // A marker that a reload would wipe.
  await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));
  const before = await detail.chartState();
  await page.screenshot({ path: path.join(ARTIFACTS, "lag-group-before.png"), fullPage: true });

  // New samples arrive over SSE every 5 s; the chart refetches and draws them.
  await expect
    .poll(
      async () => {
        const now = await detail.chartState();
        return now.lastAt > before.lastAt && now.points > before.points && now.path !== before.path;
      },
      { timeout: 45_000, intervals: [1000] },
    )
    .toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, "lag-group-after.png"), fullPage: true });
});

test("the topics list shows orders being produced, and the search box narrows the list", async ({ page }) => {
  test.setTimeout(120_000);
  const topics = new TopicsPage(page);
  await topics.goto();

  const orders = topics.row("orders");
  await expect(orders).toBeVisible({ timeout: 60_000 });
  // A rate needs two samples.
  await expect.poll(async () => Number((await orders.getByTestId("rate-cell").getAttribute("data-rate")) || 0), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(orders.getByTestId("rate-cell")).toHaveText(/^[\d,.]+\s*msg\/s$/);

  const [, total] = await topics.counts();
  expect(total).toBeGreaterThanOrEqual(5);
  await topics.filter.fill("ORDE");
  await expect.poll(async () => (await topics.counts())[0]).toBeLessThan(total);
  const shown = await topics.shownTopics();
  expect(shown).toContain("orders");
  for (const name of shown) expect(name.toLowerCase()).toContain("orde");
  await expect(topics.row("payments")).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "lag-topics-filtered.png"), fullPage: true });

  await topics.filter.fill("no-topic-is-called-this");
  await expect(page.getByTestId("topics-no-match")).toBeVisible();
  await topics.filter.fill("");
  // Every topic shows again. The total itself may have grown meanwhile: other specs create topics, and
  // the sampler's next metadata pass brings them in.
  await expect.poll(async () => {
    const [shownCount, all] = await topics.counts();
    return shownCount === all && all >= total;
  }).toBe(true);

  // Sorting by produce rate puts the busiest first.
  await page.getByTestId("sort-rate").click();
  // Rows are positioned absolutely (virtualised); their on-screen order is aria-rowindex, which a
  // live update can leave different from DOM order.
  const shownRates = () =>
    topics.rows.evaluateAll((rows) =>
      rows
        .map((r) => ({ at: Number(r.getAttribute("aria-rowindex")), rate: Number(r.querySelector<HTMLElement>('[data-testid="rate-cell"]')?.dataset.rate || -1) }))
        .sort((a, b) => a.at - b.at)
        .map((r) => r.rate),
    );
  // The rows on screen stay, in the old order, while the sorted answer loads (the count says busy).
  await expect(page.getByTestId("topic-count")).toHaveAttribute("aria-busy", "false");
  await expect
    .poll(
      async () => {
        const rates = await shownRates();
        return rates.length > 0 && rates.every((rate, i) => i === 0 || rates[i - 1]! >= rate);
      },
      { message: "the busiest topics come first" },
    )
    .toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, "lag-topics.png"), fullPage: true });

  await orders.getByTestId("topic-link").click();
  await expect(page).toHaveURL("/c/local/topics/orders");
  await expect(page.getByTestId("topic-name")).toHaveText("orders");
  await expect(page.getByTestId("topic-partition-row")).toHaveCount(3);
  await expect(page.getByTestId("throughput-chart")).toHaveAttribute("data-points", /^[1-9]\d*$/, { timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "lag-topic-orders.png"), fullPage: true });
});

test("an alert rule created in the UI fires for the lagging group", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `e2e lag > 0 for ${SLOW_GROUP} ${Date.now()}`;
  await page.goto("/alerts");
  await expect(page.getByRole("navigation", { name: "Main" }).getByTestId("nav-/alerts")).toHaveAttribute("aria-current", "page");

  // The server's validation message is shown as text.
  await page.getByTestId("rule-create").click();
  await expect(page.getByTestId("rule-form-error")).toContainText("name");

  await page.getByTestId("rule-name-input").fill(name);
  await page.getByTestId("rule-kind-select").selectOption("LAG_MESSAGES");
  await page.getByTestId("rule-threshold-input").fill("0");
  await page.getByTestId("rule-pattern-input").fill(SLOW_GROUP);
  await page.getByTestId("rule-create").click();
  await expect(page.getByTestId("rule-created")).toContainText(name);

  const rule = page.locator(`[data-testid="rule-row"][data-rule="${name}"]`);
  await expect(rule.getByTestId("rule-condition")).toHaveText("Lag > 0 messages");
  await expect(rule.getByTestId("rule-enabled")).toBeChecked();

  // The worker evaluates rules after each sample; the page refetches on each.
  const firing = page.getByTestId("firing-alerts").locator(`[data-testid="alert-row"][data-rule="${name}"]`);
  await expect(firing).toBeVisible({ timeout: 60_000 });
  await expect(firing).toHaveAttribute("data-group", SLOW_GROUP);
  await expect(firing.getByTestId("alert-message")).toContainText(SLOW_GROUP);
  await page.screenshot({ path: path.join(ARTIFACTS, "lag-alerts.png"), fullPage: true });

  // Clean up: deleting the rule removes its alerts.
  await rule.getByTestId("rule-delete").click();
  await rule.getByTestId("rule-delete-confirm").click();
  await expect(rule).toHaveCount(0);
  await expect(firing).toHaveCount(0);
});
