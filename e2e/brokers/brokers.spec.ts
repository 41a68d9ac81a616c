import path from "node:path";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

// The brokers page: the broker with its address, leadership and log dir size; its page with the log
// dir's topics and the configuration; an admin changes a dynamic setting and removes it again, as
// kafka-configs sees it, and the audit log records both.

const SHOTS = path.join(import.meta.dirname, "../artifacts");
const tool = (name: string, args: string[]) => kafkaTool(E2E_STACK.kafkaPort, name, args);
const SETTING = "log.cleaner.io.max.bytes.per.second";

test("the brokers list and one broker's log dirs and configuration; an admin changes a dynamic setting", async ({ page }) => {
  await page.goto("/c/local/brokers");
  const row = page.locator('[data-testid="broker-row"][data-node-id="1"]');
  await expect(row).toContainText(`127.0.0.1:${E2E_STACK.kafkaPort}`);
  await expect(row).toContainText("controller");
  await expect(row.getByTestId("broker-log-size")).toHaveText(/^\d+(\.\d+)? (KiB|MiB|GiB)$/);
  await expect(page.getByTestId("under-replicated")).toHaveAttribute("data-count", "0");
  await expect(page.getByTestId("offline")).toHaveAttribute("data-count", "0");
  await expect(page.getByTestId("under-replicated")).toContainText("Every partition in the cluster has all its replicas in sync.");
  await page.screenshot({ path: path.join(SHOTS, "brokers.png"), fullPage: true });

  await row.getByTestId("broker-link").click();
  await expect(page.getByTestId("broker-title")).toHaveText("Broker 1");
  // The demo system's topics are on its one log dir, largest first.
  const dir = page.getByTestId("log-dir").first();
  await expect(dir.locator('[data-testid="log-dir-topic"][data-topic="orders"]')).toBeVisible();
  await expect(page.getByTestId("log-dir-volume")).toContainText("free of");

  // Read-only settings have no Edit button; dynamic ones do.
  const config = page.getByTestId("broker-config");
  await expect(config.locator('[data-testid="config-row"][data-name="node.id"]').getByTestId("config-edit")).toHaveCount(0);
  await page.getByTestId("config-filter").fill("log.cleaner.io.max");
  const setting = config.locator(`[data-testid="config-row"][data-name="${SETTING}"]`);
  await expect(setting).toHaveAttribute("data-source", "default");
  await page.screenshot({ path: path.join(SHOTS, "broker-detail.png"), fullPage: true });

  // A value Kafka refuses: its reason is shown, nothing changes.
  await setting.getByTestId("config-edit").click();
  await setting.getByTestId("config-edit-input").fill("fast");
  await setting.getByTestId("config-save").click();
  await expect(page.getByTestId("config-error")).toContainText(`Kafka refused ${SETTING}=fast on broker 1 (INVALID_REQUEST)`);
  await expect(page.getByTestId("config-error")).toContainText("Not a number of type DOUBLE");

  await setting.getByTestId("config-edit-input").fill("5.0E7");
  await setting.getByTestId("config-save").click();
  await expect(setting).toHaveAttribute("data-source", "dynamic-broker");
  await expect(setting.getByTestId("config-value")).toHaveText("5.0E7");
  await expect(page.getByTestId("config-changed")).toContainText("→ 5.0E7 (dynamic-broker)");
  await page.getByTestId("broker-config").screenshot({ path: path.join(SHOTS, "broker-config-changed.png") });
  expect(await tool("kafka-configs", ["--describe", "--entity-type", "brokers", "--entity-name", "1"])).toContain(`${SETTING}=5.0E7`);

  await setting.getByTestId("config-remove").click();
  await expect(setting).toHaveAttribute("data-source", "default");
  expect(await tool("kafka-configs", ["--describe", "--entity-type", "brokers", "--entity-name", "1"])).not.toContain(`${SETTING}=5.0E7`);

  await page.goto("/audit");
  const table = page.getByTestId("audit-table");
  await expect(table.locator("tbody tr").first()).toContainText("broker.config.alter");
  await expect(table.locator("tbody tr").nth(1)).toContainText("broker.config.alter");
  await expect(table.locator("tbody tr").nth(2)).toContainText("broker.config.alter-refused");
});

test("a broker that is not in the cluster is named as such", async ({ page }) => {
  await page.goto("/c/local/brokers/42");
  await expect(page.getByTestId("broker-not-found")).toContainText("Broker 42 is not in the cluster (brokers: 1).");
});
