// Sign-in in the real browser: the sign-in page, the user menu, what a viewer may not do, sign-out
// and the idle timeout. Every test starts signed out (no stored session).
import pg from "pg";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { ACCOUNT, E2E_PASSWORD } from "../auth";
import { expect, test } from "../fixtures";

test.use({ storageState: { cookies: [], origins: [] } });

async function signIn(page: import("@playwright/test").Page, email: string, password = E2E_PASSWORD) {
  await page.getByTestId("sign-in-email").fill(email);
  await page.getByTestId("sign-in-password").fill(password);
  await page.getByTestId("sign-in-submit").click();
}

test("a signed-out browser is sent to the sign-in page, a wrong password is refused, and the right one lands where it was going", async ({ page }) => {
  await page.goto("/groups");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fgroups/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/sign-in.png" });
  await signIn(page, ACCOUNT.viewer, "not the password");
  await expect(page.getByTestId("sign-in-error")).toHaveText("The email or password is wrong.");
  await page.screenshot({ path: "e2e/artifacts/sign-in-error.png" });
  await signIn(page, ACCOUNT.viewer);
  await expect(page).toHaveURL(/\/groups$/);
  await expect(page.getByTestId("user-role")).toHaveText("viewer");
  await page.getByTestId("user-menu-button").click();
  await expect(page.getByTestId("user-menu")).toContainText(ACCOUNT.viewer);
  await page.screenshot({ path: "e2e/artifacts/user-menu.png" });
});

test("the signed-out sign-in page shows the logo and the favicon, served without a session and allowed by the CSP", async ({ page, request }) => {
  const refused: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await page.goto("/sign-in");
  const logo = page.locator(".sign-in-card img.brand-mark");
  await expect(logo).toHaveAttribute("src", "/logo.svg");
  // Drawn, not a broken image: the browser decoded it.
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /\/favicon\.svg/);
  for (const asset of ["/favicon.svg", "/logo.svg"]) {
    // No cookie here: a redirect to /sign-in would come back as HTML.
    const response = await request.get(asset, { maxRedirects: 0, headers: { cookie: "" } });
    expect(response.status(), asset).toBe(200);
    expect(response.headers()["content-type"]).toContain("image/svg+xml");
  }
  // Everything else still needs a session.
  expect((await request.get("/topology", { maxRedirects: 0, headers: { cookie: "" } })).status()).toBe(307);
  expect(refused).toEqual([]);
});

test("a viewer sees no register, redrive, replay or reset buttons, and the server refuses the calls anyway (403)", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, ACCOUNT.viewer);
  await expect(page.getByTestId("user-role")).toHaveText("viewer");
  await page.goto("/schemas");
  await expect(page.getByText(/Read-only: changing schemas needs the architect role/)).toBeVisible();
  await expect(page.getByTestId("register-open")).toHaveCount(0);
  await page.goto("/alerts");
  await expect(page.getByTestId("rules-read-only")).toBeVisible();
  await expect(page.getByTestId("rule-create")).toHaveCount(0);
  await page.goto("/groups/payment-service");
  await expect(page.getByTestId("group-id")).toBeVisible();
  await expect(page.getByTestId("reset-offsets-link")).toHaveCount(0);
  // The same calls the hidden buttons would make, with the viewer's own session cookie.
  const calls = [
    ["schemas.setGlobalCompatibility", { compatibility: "NONE" }],
    ["dlq.discard", { topic: "payments.DLQ", selection: { kind: "all" }, reason: "viewer tries" }],
    ["groupOffsets.reset", { groupId: "payment-service", topic: "orders", target: { kind: "latest" } }],
  ] as const;
  for (const [procedure, input] of calls) {
    const response = await page.request.post(`/api/trpc/${procedure}`, { data: { json: input }, headers: { "content-type": "application/json" } });
    expect(response.status(), procedure).toBe(403);
    expect(await response.text()).toContain("needs the");
  }
});

test("sign-out ends the session on the server, not just in the browser", async ({ page, context }) => {
  await page.goto("/sign-in");
  await signIn(page, ACCOUNT.support);
  await expect(page.getByTestId("user-role")).toHaveText("support");
  const cookie = (await context.cookies()).find((c) => c.name === "signalbox_session")!;
  await page.getByTestId("user-menu-button").click();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in\?signedOut=1/);
  await expect(page.getByTestId("sign-in-notice")).toHaveText("You are signed out.");
  // The old cookie, replayed, no longer opens anything.
  const replay = await page.request.get("/api/trpc/users.me", { headers: { cookie: `signalbox_session=${cookie.value}` } });
  expect(replay.status()).toBe(401);
  await page.goto("/dlq");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a session idle for longer than SESSION_IDLE_MINUTES ends, and the page asks to sign in again", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, ACCOUNT.operator);
  await expect(page.getByTestId("user-role")).toHaveText("operator");
  // Nine hours without a request (the default idle time is eight), told to the database directly.
  const db = new pg.Client({ connectionString: E2E_STACK.databaseUrl });
  await db.connect();
  const { rowCount } = await db.query(`UPDATE "Session" SET "lastSeenAt" = now() - interval '9 hours' WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`, [ACCOUNT.operator]);
  await db.end();
  expect(rowCount).toBeGreaterThan(0);
  await page.goto("/topics");
  await expect(page).toHaveURL(/\/sign-in\?expired=1/);
  await expect(page.getByTestId("sign-in-notice")).toHaveText("Your session ended. Sign in again.");
});

test("an admin manages users and tokens in Settings; a token's secret is shown once", async ({ page }) => {
  await page.goto("/sign-in");
  await signIn(page, ACCOUNT.admin);
  await expect(page.getByTestId("user-role")).toHaveText("admin");
  await page.goto("/settings");
  await expect(page.getByTestId(`user-row-${ACCOUNT.viewer}`)).toBeVisible();
  const name = `e2e-ui-${Date.now().toString(36)}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByLabel("Token role").selectOption("viewer");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("token-secret")).toContainText("sbx_");
  await expect(page.getByTestId(`token-row-${name}`)).toContainText("never");
  await page.screenshot({ path: "e2e/artifacts/settings-users-tokens.png", fullPage: true });
  const secret = (await page.getByTestId("token-secret").locator("code").textContent())!;
  const metrics = await page.request.get("/metrics", { headers: { authorization: `Bearer ${secret}` } });
  expect(metrics.status()).toBe(200);
});
