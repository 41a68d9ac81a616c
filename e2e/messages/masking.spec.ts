// Masking in the real browser: a payload field a policy names (the e2e stack masks the demo's
// data.customerId on "orders" for everyone but admins) reads "••• masked" for support and in clear for
// the admin, in the message browser's detail view of the same record.
import type { Page } from "@playwright/test";
import { ACCOUNT, E2E_PASSWORD } from "../auth";
import { expect, test } from "../fixtures";
import { MessagesPage } from "../pages/messages-page";

async function firstOrderDetail(page: Page) {
  const messages = new MessagesPage(page);
  await messages.goto("orders");
  await messages.start.selectOption("earliest");
  await messages.filter("event-type").fill("OrderPlaced");
  // A few demo orders are sent without a customer id on purpose; the key is there in every other one, masked or not.
  await messages.filter("text").fill("customerId");
  await messages.searchAndWait();
  await messages.rows.first().click();
  return page.getByTestId("message-detail").getByTestId("detail-value");
}

test("a masked field shows as masked to support and in clear to an admin", async ({ page, browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const support = await context.newPage();
  await support.goto("/sign-in");
  await support.getByTestId("sign-in-email").fill(ACCOUNT.support);
  await support.getByTestId("sign-in-password").fill(E2E_PASSWORD);
  await support.getByTestId("sign-in-submit").click();
  await expect(support.getByTestId("user-role")).toHaveText("support");
  const masked = await firstOrderDetail(support);
  await expect(masked).toContainText('"customerId": "••• masked"');
  await expect(masked).not.toContainText('"customerId": "cust-');
  await support.screenshot({ path: "e2e/artifacts/masking-support.png", fullPage: true });
  await context.close();

  const clear = await firstOrderDetail(page);
  await expect(clear).toContainText('"customerId": "cust-');
  await page.screenshot({ path: "e2e/artifacts/masking-admin.png", fullPage: true });
  // The same policy is listed for the admin in Settings.
  await page.goto("/settings");
  await expect(page.getByTestId("masking-policies")).toContainText("customer ids");
});
