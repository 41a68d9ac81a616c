import { spawn } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { kafkaTool } from "../../scripts/lib/local-kafka";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

// The second cluster names an external schema registry (e2e/global-setup.ts: a second Signalbox over
// HTTPS with its own database, reached with a Bearer token and a private CA). A record framed with
// an id that only that registry knows is decoded in the message browser of that cluster; one framed
// with an id it does not know says why, naming the registry. The registry page lists its subjects.
const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");
const SECOND = E2E_STACK.secondClusterName;

function produceFiles(topic: string, files: { key: string; file: string }[]): Promise<void> {
  return files.reduce(
    (previous, { key, file }) =>
      previous.then(
        () =>
          new Promise<void>((resolve, reject) => {
            // kcat sends each file named on the command line as one message: binary values stay intact.
            const child = spawn("kcat", ["-b", `127.0.0.1:${E2E_STACK.secondKafkaPort}`, "-t", topic, "-P", "-k", key, file], { stdio: ["ignore", "ignore", "pipe"] });
            let err = "";
            child.stderr.on("data", (d: Buffer) => (err += d.toString()));
            child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
          }),
      ),
    Promise.resolve(),
  );
}

test("a record whose Avro schema lives only in the cluster's external registry is decoded in the message browser", async ({ page }) => {
  const external = JSON.parse(process.env.E2E_EXTERNAL_REGISTRY!) as { url: string; tokenName: string; caFile: string };
  const client = new SchemaRegistry({ host: external.url, auth: { username: external.tokenName, password: process.env.E2E_EXTERNAL_REGISTRY_TOKEN! }, agent: new https.Agent({ ca: fs.readFileSync(external.caFile) }) });
  const run = Date.now().toString(36);
  const topic = `e2e-external-${run}`;
  const schema = { type: "record", name: "InvoiceIssued", namespace: "com.acme.billing", fields: [{ name: "invoiceId", type: "string" }, { name: "totalCents", type: "long" }, { name: "currency", type: "string" }] };
  const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: `${topic}-value` });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-external-"));
  fs.writeFileSync(path.join(dir, "invoice.bin"), await client.encode(id, { invoiceId: `INV-${run}`, totalCents: 12_900, currency: "EUR" }));
  // An id the external registry never gave: framed, but not decodable.
  fs.writeFileSync(path.join(dir, "unknown.bin"), Buffer.concat([Buffer.from([0, 0, 0, 0x03, 0xe7]), Buffer.from("\u0002x")]));
  // The second broker does not create topics on first use.
  await kafkaTool(E2E_STACK.secondKafkaPort, "kafka-topics", ["--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1"]);
  await produceFiles(topic, [
    { key: "invoice", file: path.join(dir, "invoice.bin") },
    { key: "unknown-id", file: path.join(dir, "unknown.bin") },
  ]);

  await page.goto(`/c/${SECOND}/messages?topic=${encodeURIComponent(topic)}`);
  await page.getByTestId("start-select").selectOption("earliest");
  await page.getByTestId("search").click();
  await page.locator('[data-testid="scan-status"][data-state="done"]').waitFor({ timeout: 60_000 });
  const rows = page.getByTestId("message-row");
  await expect(rows).toHaveCount(2);

  const invoice = rows.filter({ hasText: "invoice" }).filter({ hasNotText: "unknown-id" });
  await invoice.click();
  const opened = page.getByTestId("message-detail");
  await expect(opened.getByTestId("schema-format")).toHaveText("avro");
  await expect(opened.getByTestId("schema-id")).toHaveText(`schema ${id}`);
  await expect(opened).toContainText(`"invoiceId": "INV-${run}"`);
  await expect(opened).toContainText('"totalCents": 12900');
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-external-registry.png"), fullPage: true });

  await rows.filter({ hasText: "unknown-id" }).click();
  const problem = page.getByTestId("detail-value-schema-problem");
  await expect(problem).toContainText(`Schema id 999 could not be read: The schema registry of cluster ${SECOND} (${external.url}) refused GET /schemas/ids/999 (HTTP 404, error 40403)`);
  await expect(page.getByTestId("message-detail").getByTestId("schema-problem-badge")).toHaveText("not decoded");
  await expect(page.locator("body")).not.toContainText(process.env.E2E_EXTERNAL_REGISTRY_TOKEN!);
  await page.screenshot({ path: path.join(ARTIFACTS, "messages-external-registry-unknown-id.png"), fullPage: true });

  // The registry page: its subjects, the one just registered among them, its schema on demand.
  await page.goto(`/c/${SECOND}/registry`);
  const subject = page.locator(`[data-testid="registry-subject"][data-subject="${topic}-value"]`);
  await expect(subject).toContainText(`v1 · id ${id}`);
  await expect(subject).toContainText("not in the catalog");
  await subject.getByRole("button", { name: `${topic}-value` }).click();
  await expect(page.getByTestId("registry-schema")).toContainText("InvoiceIssued");
  await page.screenshot({ path: path.join(ARTIFACTS, "registry-external.png"), fullPage: true });
});
