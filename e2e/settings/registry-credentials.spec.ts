// An external schema registry's credentials in Settings, in the real browser: the admin adds a
// cluster whose registry is the suite's second Signalbox over HTTPS (e2e/global-setup.ts), sees Test
// connection name the registry's problem (a CA it does not trust, then a refused token), fixes both,
// saves, and finds the token never sent back to the page: the row and the form say only that it is set.
import fs from "node:fs";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const registry = JSON.parse(process.env.E2E_EXTERNAL_REGISTRY ?? "{}") as { url: string; tokenName: string; caFile: string };
const TOKEN = process.env.E2E_EXTERNAL_REGISTRY_TOKEN ?? "";

test("an admin sets a registry's Bearer token and CA; Test connection names what is wrong; the token never comes back", async ({ page }) => {
  test.setTimeout(90_000);
  expect(registry.url, "e2e/global-setup.ts starts the external registry").toMatch(/^https:\/\//);
  const name = `e2e-reg-${Date.now().toString(36)}`;
  await page.goto("/settings");
  const card = page.getByTestId("clusters");
  await card.getByTestId("cluster-add").click();
  const form = card.getByTestId("cluster-form");
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Bootstrap servers").fill(`127.0.0.1:${E2E_STACK.kafkaPort}`);
  await form.getByLabel("Security protocol").selectOption("PLAINTEXT");
  await form.getByTestId("cluster-form-registry-url").fill(registry.url);
  await form.getByTestId("cluster-form-registry-auth").selectOption("bearer");
  await form.getByTestId("cluster-form-registry-token").fill("sbx_not_the_token");

  // No CA yet: the registry's certificate is not trusted.
  await form.getByTestId("cluster-form-test").click();
  await expect(form.getByTestId("connection-registry-failure")).toContainText("TLS: its certificate");
  await expect(form.getByTestId("connection-registry")).toContainText("TLS: certificate not trusted");

  // With its CA, the wrong token is refused (401).
  await form.getByTestId("cluster-form-registry-ca").fill(fs.readFileSync(registry.caFile, "utf8"));
  await form.getByTestId("cluster-form-test").click();
  await expect(form.getByTestId("connection-registry")).toContainText("credentials refused (401/403)");
  await expect(form.getByTestId("connection-registry-failure")).toContainText("HTTP 401");
  await form.scrollIntoViewIfNeeded();
  await card.screenshot({ path: "e2e/artifacts/settings-registry-test-401.png" });

  // The right token: the registry answers.
  await form.getByTestId("cluster-form-registry-token").fill(TOKEN);
  await form.getByTestId("cluster-form-test").click();
  await expect(form.getByTestId("connection-report")).toContainText(`${name}: connected`);
  await expect(form.getByTestId("connection-registry")).toContainText(/answered GET \/subjects: \d+ subjects? \(Bearer authentication\)/);
  await form.getByRole("button", { name: "Add cluster" }).click();

  const row = card.getByTestId(`cluster-row-${name}`);
  await expect(card.getByTestId(`cluster-registry-${name}`)).toContainText("Bearer token set · own CA");
  expect(await page.content()).not.toContain(TOKEN);

  // Editing shows that a token and a CA are stored, never what they are.
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(form.getByTestId("cluster-form-registry-token")).toHaveValue("");
  await expect(form.getByTestId("cluster-form-registry-token")).toHaveAttribute("placeholder", "a token is set; leave blank to keep it");
  await expect(form.getByTestId("cluster-form-registry-ca")).toHaveAttribute("placeholder", "a CA bundle is set; leave blank to keep it");
  await form.scrollIntoViewIfNeeded();
  await card.screenshot({ path: "e2e/artifacts/settings-registry-credentials.png" });
  // Saved with the token left blank, the stored one still reaches the registry.
  await form.getByRole("button", { name: "Save" }).click();
  await row.getByTestId(`cluster-test-${name}`).click();
  await expect(card.getByTestId("connection-registry")).toContainText("Bearer authentication");
  expect(await page.content()).not.toContain(TOKEN);
  const listed = await page.request.get("/api/trpc/clusters.list");
  expect(await listed.text()).not.toContain(TOKEN);

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByTestId(`cluster-remove-${name}`).click();
  await expect(row).toHaveCount(0);
});
