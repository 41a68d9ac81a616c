import path from "node:path";
import { kcatProduce } from "../../scripts/lib/kcat";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

// Topic administration from the browser, checked with Kafka's own tools: the DLQ template, create a
// topic from the form (Kafka's validateOnly refusal shown next to its field first), edit one
// configuration entry, add a partition, purge its records and delete it after typing its name.

const SHOTS = process.env.SIGNALBOX_SHOTS_DIR ?? path.join(import.meta.dirname, "../artifacts");
const tool = (name: string, args: string[]) => kafkaTool(E2E_STACK.kafkaPort, name, args);

test("create a topic (after a refused replication factor), edit a config, add partitions, purge, delete", async ({ page, kafka }) => {
  const topic = `e2e-admin-${Date.now()}`;

  await page.goto("/topics");
  await page.getByTestId("create-topic-link").click();
  await expect(page.getByTestId("create-topic-page")).toBeVisible();
  // The broker's defaults are the placeholders.
  await expect(page.getByTestId("broker-defaults")).toContainText("num.partitions");
  await expect(page.getByTestId("partitions-input")).toHaveAttribute("placeholder", /^\d+$/);

  // The DLQ template names the topic after its source, with the source's partitions and 14 days' retention.
  await page.getByTestId("dlq-template-source").selectOption("orders");
  await expect(page.getByTestId("topic-name-input")).toHaveValue("orders.DLQ");
  const ordersPartitions = (await kafka.topicOffsets("orders")).length;
  await expect(page.getByTestId("partitions-input")).toHaveValue(String(ordersPartitions));
  await expect(page.getByTestId("config-name-input")).toHaveValue("retention.ms");
  await expect(page.getByTestId("config-value-input")).toHaveValue("1209600000");
  await page.reload();

  // The browser's own check first: an illegal name is named before Kafka is asked.
  await page.getByTestId("topic-name-input").fill(`${topic} x`);
  await page.getByTestId("create-topic-submit").click();
  await expect(page.getByTestId("problem-topic")).toHaveText('A topic name may only contain letters, digits, ".", "_" and "-"; this one has space.');

  // Then Kafka's: replication factor 3 on a one-broker cluster.
  await page.getByTestId("topic-name-input").fill(topic);
  await page.getByTestId("partitions-input").fill("2");
  await page.getByTestId("replication-input").fill("3");
  await page.getByTestId("add-config-entry").click();
  await page.getByTestId("config-name-input").fill("retention.ms");
  await page.getByTestId("config-value-input").fill("3600000");
  await page.getByTestId("create-topic-submit").click();
  await expect(page.getByTestId("problem-replicationFactor")).toHaveText("Kafka refused replication factor 3: the cluster has 1 broker (INVALID_REPLICATION_FACTOR).");
  await page.screenshot({ path: path.join(SHOTS, "topics-create-error.png"), fullPage: true });
  expect(await kafka.topics()).not.toContain(topic);

  await page.getByTestId("replication-input").fill("1");
  await page.getByTestId("create-topic-submit").click();
  await page.waitForURL(`**/topics/${topic}`);
  const described = await tool("kafka-topics", ["--describe", "--topic", topic]);
  expect(described).toMatch(/PartitionCount:\s*2/);
  expect(described).toMatch(/retention\.ms=3600000/);

  // The whole page once the worker has sampled the new topic (the configuration shows before).
  await expect(page.getByTestId("topic-actions")).toBeVisible({ timeout: 30_000 });

  // Edit one configuration entry: cleanup.policy from its default to a topic override.
  const row = page.locator('[data-testid="config-row"][data-name="cleanup.policy"]');
  await expect(row).toHaveAttribute("data-source", "default");
  await page.getByTestId("config-filter").fill("cleanup");
  await row.getByTestId("config-edit").click();
  await row.getByTestId("config-edit-input").fill("compact,delete");
  await row.getByTestId("config-save").click();
  await expect(row).toHaveAttribute("data-source", "topic");
  await expect(row.getByTestId("config-value")).toHaveText("compact,delete");
  await page.getByTestId("config-filter").fill("");
  await page.getByTestId("config-overrides-only").check();
  await expect(page.getByTestId("config-row")).toHaveCount(2);
  await page.getByTestId("topic-config").screenshot({ path: path.join(SHOTS, "topics-config.png") });
  // The other override was sent again with the change, as kafka-configs shows.
  const configs = await tool("kafka-configs", ["--describe", "--entity-type", "topics", "--entity-name", topic]);
  expect(configs).toMatch(/cleanup\.policy=compact,delete/);
  expect(configs).toMatch(/retention\.ms=3600000/);

  // Add partitions: 2 → 3, with the warning about keys, after typing the name.
  await page.getByTestId("add-partitions-start").click();
  await expect(page.getByTestId("key-ordering-warning")).toContainText("ordering per key breaks");
  await page.getByTestId("add-partitions-count").fill("3");
  await page.getByTestId("add-partitions-input").fill(topic);
  await page.getByTestId("add-partitions-submit").click();
  await expect(page.getByTestId("add-partitions-done")).toHaveText("The topic now has 3 partitions (was 2).");
  expect(await tool("kafka-topics", ["--describe", "--topic", topic])).toMatch(/PartitionCount:\s*3/);

  // Purge: every record, after typing the name.
  await kcatProduce(`127.0.0.1:${E2E_STACK.kafkaPort}`, topic, "a\t1\nb\t2\nc\t3\nd\t4\ne\t5\n", []);
  await page.getByTestId("purge-start").click();
  await page.getByTestId("purge-kind").selectOption("all");
  await page.getByTestId("purge-input").fill(topic);
  await page.getByTestId("purge-submit").click();
  await expect(page.getByTestId("purge-done")).toHaveText(/^Purged 5 records from [123] partitions?\.$/);
  const earliest = await tool("kafka-get-offsets", ["--topic", topic, "--time", "-2"]);
  const latest = await tool("kafka-get-offsets", ["--topic", topic, "--time", "-1"]);
  expect(earliest.trim()).toBe(latest.trim());

  // Delete: the button stays disabled until the name is typed exactly.
  await page.getByTestId("delete-topic-start").click();
  const submit = page.getByTestId("delete-topic-submit");
  await page.getByTestId("delete-topic-input").fill(topic.slice(0, -1));
  await expect(submit).toBeDisabled();
  await page.getByTestId("delete-topic-input").fill(topic);
  await page.screenshot({ path: path.join(SHOTS, "topics-delete-confirm.png"), fullPage: true });
  await submit.click();
  await expect(page.getByTestId("topic-deleted")).toContainText("Topic deleted");
  expect(await kafka.topics()).not.toContain(topic);

  await page.goto("/audit");
  for (const action of ["topic.create", "topic.config.alter", "topic.purge", "topic.delete"]) await expect(page.getByText(action, { exact: true }).first()).toBeVisible();
});

// The server's refusal of internal topics is in src/server/services/topics/topics.int.test.ts.
test("Kafka's internal topics show their configuration and offer no administration", async ({ page }) => {
  await page.goto("/topics/__consumer_offsets");
  await expect(page.getByTestId("topic-config")).toBeVisible();
  await expect(page.getByTestId("delete-topic-start")).toHaveCount(0);
});

test("each topic's row draws its produce rate over the last five minutes, from the sampler's history", async ({ page }) => {
  await page.goto("/c/local/topics");
  await page.getByTestId("topic-filter").fill("orders");
  const row = page.locator('[data-testid="topic-row"][data-topic="orders"]');
  await expect(row).toBeVisible();
  const line = row.getByTestId("sparkline");
  await expect(line).toHaveAttribute("aria-label", "Produce rate of orders over the last 5 minutes");
  // The demo shop writes orders all the time: once the sampler has a few rates, the line rises and
  // falls with them (a flat line, or none, would pass through one height only).
  const heights = async () => {
    const d = await line.locator("path").getAttribute("d", { timeout: 1_000 }).catch(() => null);
    const points = [...(d ?? "").matchAll(/(?:[MC]|,|\s)(-?[\d.]+),(-?[\d.]+)/g)].map((m) => Number(m[2]));
    return new Set(points.map((y) => y.toFixed(1))).size;
  };
  await expect.poll(heights, { timeout: 60_000 }).toBeGreaterThan(1);
  await page.screenshot({ path: path.join(SHOTS, "topics-list.png") });
});
