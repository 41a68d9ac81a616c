import path from "node:path";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

// The end-to-end broker has no authorizer: the ACLs page says so in words rather than failing, and
// offers no form. The second cluster has StandardAuthorizer (Signalbox connects as a super user);
// ACLs checked against Kafka's own decisions are in src/server/services/acls/acls.int.test.ts.

test("a cluster without an authorizer: the page says ACLs are not enabled", async ({ page }) => {
  await page.goto("/c/local/acls");
  await expect(page.getByTestId("acls-disabled")).toContainText("ACLs are not enabled on this cluster (no authorizer configured)");
  await expect(page.getByTestId("acls-disabled")).toContainText("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer");
  await expect(page.getByTestId("acl-new")).toHaveCount(0);
  await expect(page.getByTestId("acls-error")).toHaveCount(0);
  await page.screenshot({ path: path.join(import.meta.dirname, "../artifacts/acls-disabled.png"), fullPage: true });
});

test("why is this denied: an admin allows bob to read a topic, and the page explains bob's and carol's access", async ({ page }) => {
  const topic = `e2e-acl-${Date.now()}`;
  await page.goto(`/c/${E2E_STACK.secondClusterName}/acls`);
  await expect(page.getByTestId("acls-page")).toBeVisible();
  await page.getByTestId("acl-new").click();
  await page.getByTestId("acl-principal").fill("User:bob");
  await page.getByTestId("acl-resource-name").fill(topic);
  await page.getByTestId("acl-create-submit").click();
  await expect(page.getByTestId("acl-created")).toContainText(`User:bob ALLOW READ on TOPIC ${topic} (LITERAL) from *`);

  await page.getByTestId("acl-explain-start").click();
  await page.getByTestId("acl-explain-principal").fill("User:bob");
  await page.getByTestId("acl-explain-operation").selectOption("DESCRIBE");
  await page.getByTestId("acl-explain-resource-name").fill(topic);
  await page.getByTestId("acl-explain-submit").click();
  await expect(page.getByTestId("acl-explain-result")).toHaveAttribute("data-decision", "ALLOWED");
  await expect(page.getByTestId("acl-explain-rule").first()).toContainText("READ implies DESCRIBE");

  await page.getByTestId("acl-explain-principal").fill("User:carol");
  await page.getByTestId("acl-explain-submit").click();
  await expect(page.getByTestId("acl-explain-result")).toHaveAttribute("data-decision", "DENIED");
  await expect(page.getByTestId("acl-explain-reason")).toContainText(`none allows DESCRIBE to User:carol`);
  await expect(page.getByTestId("acl-explain-rule").first()).toHaveAttribute("data-effect", "other-principal");
  await page.screenshot({ path: path.join(import.meta.dirname, "../artifacts/acls-explain.png"), fullPage: true });
});
