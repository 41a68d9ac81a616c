// Clusters in Settings, in the real browser: an admin adds a SASL_SSL cluster whose broker does not
// exist, sees "Test connection" name the fault (DNS), saves it without the password ever coming
// back to the page, points it at the suite's broker, tests it from the list, and removes it.
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const PASSWORD = "e2e-scram-password-do-not-show";

test("an admin adds, tests, edits and removes a cluster; Test connection names the fault", async ({ page }) => {
  test.setTimeout(90_000);
  const name = `e2e-${Date.now().toString(36)}`;
  await page.goto("/settings");
  const card = page.getByTestId("clusters");
  await expect(card.getByTestId("cluster-row-local")).toContainText("from configuration");

  await card.getByTestId("cluster-add").click();
  const form = card.getByTestId("cluster-form");
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Bootstrap servers").fill("no-such-broker.invalid:9093");
  await form.getByLabel("Security protocol").selectOption("SASL_SSL");
  await form.getByLabel("SASL mechanism").selectOption("SCRAM-SHA-512");
  await form.getByLabel("SASL username").fill("signalbox");
  await form.getByLabel("SASL password").fill(PASSWORD);
  await form.getByLabel("Label (env, region)").fill("staging");
  await form.getByLabel("Color (#rrggbb)").fill("#d9480f");
  await form.getByTestId("cluster-form-test").click();
  const failure = form.getByTestId("connection-failure");
  await expect(failure).toContainText("DNS: host not found: no-such-broker.invalid does not resolve to an address");
  await form.scrollIntoViewIfNeeded();
  await card.screenshot({ path: "e2e/artifacts/settings-cluster-test-error.png" });

  await form.getByRole("button", { name: "Add cluster" }).click();
  const row = card.getByTestId(`cluster-row-${name}`);
  await expect(row).toContainText("SASL_SSL · SCRAM-SHA-512 as signalbox, password set · public CAs");
  await expect(row).toContainText("staging");
  expect(await page.content()).not.toContain(PASSWORD);
  await card.screenshot({ path: "e2e/artifacts/settings-clusters.png" });

  // Now at the suite's own broker, in the clear: the stored password goes with SASL, which it no longer uses.
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(form.getByLabel("SASL password")).toHaveAttribute("placeholder", "a password is set; leave blank to keep it");
  await form.getByLabel("Bootstrap servers").fill(`127.0.0.1:${E2E_STACK.kafkaPort}`);
  await form.getByLabel("Security protocol").selectOption("PLAINTEXT");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("PLAINTEXT");
  await row.getByTestId(`cluster-test-${name}`).click();
  const report = card.getByTestId("connection-report");
  await expect(report).toContainText(`${name}: connected`);
  await expect(report).toContainText("1 broker(s)");
  await card.screenshot({ path: "e2e/artifacts/settings-cluster-test-ok.png" });

  // A Kafka Connect cluster by name and URL (the suite's own worker), reached from this cluster's pages.
  await row.getByRole("button", { name: "Edit" }).click();
  await form.getByTestId("cluster-form-connect").fill(`side=http://127.0.0.1:${E2E_STACK.connectPort}`);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(card.getByTestId(`cluster-connect-${name}`)).toHaveText("Connect: side");
  await page.goto(`/c/${name}/connect`);
  await expect(page.getByTestId("connect-cluster")).toHaveAttribute("data-connect", "side");
  await expect(page.getByTestId("connect-cluster-error")).toHaveCount(0);
  await page.goto("/settings");

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByTestId(`cluster-remove-${name}`).click();
  await expect(row).toHaveCount(0);
});
