import path from "node:path";
import { expect, test } from "../fixtures";

// The end-to-end broker has no authorizer: the ACLs page says so in words rather than failing, and
// offers no form. ACLs on a broker with StandardAuthorizer are covered by
// src/server/services/acls/acls.int.test.ts.

test("a cluster without an authorizer: the page says ACLs are not enabled", async ({ page }) => {
  await page.goto("/c/local/acls");
  await expect(page.getByTestId("acls-disabled")).toContainText("ACLs are not enabled on this cluster (no authorizer configured)");
  await expect(page.getByTestId("acls-disabled")).toContainText("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer");
  await expect(page.getByTestId("acl-new")).toHaveCount(0);
  await expect(page.getByTestId("acls-error")).toHaveCount(0);
  await page.screenshot({ path: path.join(import.meta.dirname, "../artifacts/acls-disabled.png"), fullPage: true });
});
