// Single sign-on in the real browser, through the demo identity provider's own login page (started by
// e2e/global-setup.ts): the round trip, a person whose groups give no role, and a sign-in that the
// user cancels or that comes back to the wrong attempt. Every test starts signed out.
import type { Page } from "@playwright/test";
import { DEMO_IDP_PASSWORD } from "../../scripts/lib/demo-idp";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { ADMIN_STATE } from "../auth";
import { expect, test } from "../fixtures";

test.use({ storageState: { cookies: [], origins: [] } });

const IDP_ORIGIN = `http://127.0.0.1:${E2E_STACK.idpPort}`;
const SAM_SUPPORT = "sam@signalbox.demo";
const NORA_NO_ROLE = "nora@signalbox.demo";

/** From a signed-out visit to `path`, over the sign-in page's button, to the provider's login form. */
async function openProviderLogin(page: Page, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByTestId("sign-in-sso").click();
  await expect(page).toHaveURL(new RegExp(`^${IDP_ORIGIN}/interaction/`));
  await expect(page.getByRole("heading", { name: "Test IdP" })).toBeVisible();
}

async function signInAtProvider(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_IDP_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("single sign-on through the provider's login page lands where the user was going, with the role of their group", async ({ page, browser }) => {
  await openProviderLogin(page, "/dlq");
  await page.screenshot({ path: "e2e/artifacts/oidc-provider-login.png" });
  await signInAtProvider(page, SAM_SUPPORT);

  await expect(page).toHaveURL(/\/dlq$/);
  await expect(page.getByTestId("user-role")).toHaveText("support");
  // The session reads data too, not just the page shell: the demo system's DLQ is listed. The list
  // is fetched by the page's client code, so it also says the page is hydrated and the menu button
  // below answers a click (a click before hydration is lost).
  await expect(page.locator('[data-testid="dlq-topic-row"][data-topic="payments.DLQ"]')).toBeVisible();
  await page.getByTestId("user-menu-button").click();
  await expect(page.getByTestId("user-menu")).toContainText(SAM_SUPPORT);
  await expect(page.getByTestId("user-menu")).toContainText("Signed in with single sign-on");
  await page.screenshot({ path: "e2e/artifacts/oidc-landed.png" });

  // An admin (the stored admin session) sees the new user and which group gave the role.
  const admin = await browser.newContext({ storageState: ADMIN_STATE });
  try {
    const settings = await admin.newPage();
    await settings.goto("/settings");
    const row = settings.getByTestId(`user-row-${SAM_SUPPORT}`);
    await expect(row).toContainText("group support");
    await expect(row.getByLabel(`Role of ${SAM_SUPPORT}`)).toHaveValue("support");
    await expect(row).toContainText("SSO only");
    await row.scrollIntoViewIfNeeded();
    await settings.screenshot({ path: "e2e/artifacts/oidc-settings-user.png" });
  } finally {
    await admin.close();
  }
});

test("a user none of whose groups is mapped signs in, is told they have no role, and the API refuses them (403)", async ({ page }) => {
  await openProviderLogin(page, "/topics");
  await signInAtProvider(page, NORA_NO_ROLE);

  await expect(page).toHaveURL(/\/topics$/);
  await expect(page.getByTestId("no-role")).toContainText("You have no role yet");
  await expect(page.getByTestId("no-role")).toContainText(NORA_NO_ROLE);
  await expect(page.getByTestId("user-role")).toHaveText("no role");
  await page.screenshot({ path: "e2e/artifacts/oidc-no-role.png" });
  // Signed in (not 401), but the least a role may read is still refused; page.request sends her session cookie.
  const response = await page.request.get("/api/trpc/lag.statusRules");
  expect(response.status()).toBe(403);
});

test("cancelling at the provider returns to the sign-in page with the provider's reason", async ({ page }) => {
  await openProviderLogin(page, "/groups");
  await page.getByRole("button", { name: "Cancel" }).click();

  await expect(page).toHaveURL(/\/sign-in\?error=/);
  await expect(page.getByTestId("sign-in-error")).toHaveText("The identity provider refused the sign-in: access_denied (The user cancelled the sign-in).");
  await page.screenshot({ path: "e2e/artifacts/oidc-cancelled.png" });
  await expect(page.getByTestId("sign-in-sso")).toBeVisible();
});

test("a provider response for an older sign-in attempt (its state no longer this browser's) is refused with a readable error", async ({ page, context }) => {
  await openProviderLogin(page, "/dlq");
  // A second attempt in another tab replaces the first one's transaction cookie, so the first tab's
  // answer carries a state this browser no longer waits for: what a tampered state looks like too.
  const second = await context.newPage();
  await openProviderLogin(second, "/dlq");
  await second.close();
  await signInAtProvider(page, SAM_SUPPORT);

  await expect(page).toHaveURL(/\/sign-in\?error=/);
  await expect(page.getByTestId("sign-in-error")).toContainText("does not belong to this browser's sign-in attempt (state mismatch)");
  await page.goto("/dlq");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdlq/);
});
