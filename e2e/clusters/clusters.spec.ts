// Many clusters in the browser: the e2e stack has a second cluster (e2e/global-setup.ts: its own
// broker, added through SIGNALBOX_CLUSTERS). The home lists both; the switcher moves the same page
// between them, and each shows its own topics; old URLs land on the default cluster's pages.
import path from "node:path";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const SECOND = E2E_STACK.secondClusterName;
const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

test("the home lists both clusters, the switcher keeps the page, and each cluster shows its own topics", async ({ page }) => {
  const onlySecond = `only-second-${Date.now().toString(36)}`;
  await kafkaTool(E2E_STACK.secondKafkaPort, "kafka-topics", ["--create", "--topic", onlySecond, "--partitions", "1", "--replication-factor", "1"]);

  await page.goto("/");
  const rows = page.getByTestId("cluster-row");
  await expect(rows).toHaveCount(2);
  const local = page.locator('[data-testid="cluster-row"][data-cluster="local"]');
  const second = page.locator(`[data-testid="cluster-row"][data-cluster="${SECOND}"]`);
  await expect(local.getByTestId("cluster-health")).toHaveText("up");
  await expect(second.getByTestId("cluster-health")).toHaveText("up");
  await expect(second).toContainText("second");
  // The default cluster's worker samples it: its lag is a number, not "waiting".
  await expect(local.getByTestId("cluster-lag")).toHaveText(/^\d/);
  await page.screenshot({ path: path.join(ARTIFACTS, "clusters-home.png"), fullPage: true });

  // Into the second cluster, then to its message browser: its topic, not the default's demo topics.
  await second.getByTestId("cluster-link").click();
  await expect(page).toHaveURL(`/c/${SECOND}`);
  await expect(page.getByTestId("cluster-name")).toHaveText(SECOND);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByTestId("nav-/messages").click();
  await expect(page).toHaveURL(`/c/${SECOND}/messages`);
  const topicSelect = page.getByTestId("topic-select");
  await expect(topicSelect.locator(`option[value="${onlySecond}"]`)).toHaveCount(1);
  await expect(topicSelect.locator('option[value="orders"]')).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "clusters-second-messages.png"), fullPage: true });

  // The switcher, by keyboard: it names the current cluster, opens on Enter with the current one
  // focused, ↑/↓ move, Enter follows.
  const switcher = page.getByTestId("cluster-switcher-button");
  await expect(switcher).toContainText(SECOND);
  await switcher.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByTestId("cluster-switcher-menu");
  await expect(menu.getByTestId("cluster-switcher-item")).toHaveCount(2);
  await expect(menu.locator(`[data-cluster="${SECOND}"]`)).toBeFocused();
  await page.screenshot({ path: path.join(ARTIFACTS, "clusters-switcher-open.png") });
  await page.keyboard.press("ArrowUp");
  await expect(menu.locator('[data-cluster="local"]')).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/c/local/messages");
  await expect(switcher).toContainText("local");
  await expect(topicSelect.locator('option[value="orders"]')).toHaveCount(1);
  await expect(topicSelect.locator(`option[value="${onlySecond}"]`)).toHaveCount(0);

  // Escape closes the menu and gives the focus back to the button.
  await switcher.click();
  await expect(menu).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(switcher).toBeFocused();

  // A page of one thing goes to its section's list on the other cluster.
  await page.goto("/c/local/topics/orders");
  await switcher.click();
  await menu.locator(`[data-cluster="${SECOND}"]`).click();
  await expect(page).toHaveURL(`/c/${SECOND}/topics`);
});

test("old URLs land on the default cluster's page, path and query kept; an unknown cluster is named", async ({ page }) => {
  await page.goto("/dlq?topic=payments.DLQ");
  await expect(page).toHaveURL("/c/local/dlq?topic=payments.DLQ");
  await page.goto("/groups/payment-service");
  await expect(page).toHaveURL("/c/local/groups/payment-service");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("payment-service");

  const response = await page.goto("/c/nowhere/topics");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("unknown-cluster")).toContainText("No cluster named “nowhere”");
});

test("/metrics serves every cluster's series, each under its cluster label", async ({ request }) => {
  const body = await (await request.get("/metrics")).text();
  expect(body.match(/^# TYPE signalbox_sampler_up gauge$/gm)).toHaveLength(1);
  expect(body).toMatch(/^signalbox_sampler_up\{cluster="local"\} 1$/m);
  expect(body).toMatch(new RegExp(`^signalbox_sampler_up\\{cluster="${SECOND}"\\} [01]$`, "m"));
  expect(body).toMatch(new RegExp(`^kafka_brokers\\{cluster="${SECOND}"\\} 1$`, "m"));
});
