import path from "node:path";
import pg from "pg";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const AREAS = ["Overview", "Topology", "Topics", "Consumer groups", "Brokers", "ACLs", "Connect", "Alerts", "Schemas", "Messages", "Replay", "DLQ", "Audit", "Settings"];

test("every area is in the navigation and opens a built page", async ({ page }) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of AREAS) {
    const link = nav.getByRole("link", { name: new RegExp(`^\\S*\\s*${label}`) });
    await expect(link).toBeVisible();
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
});

test("the navigation prefetches a page when a person reaches for its link, not every link in view", async ({ page }) => {
  // A prefetch is a request for the page's server payload, marked by Next's prefetch header.
  const prefetched: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["next-router-prefetch"]) prefetched.push(new URL(request.url()).pathname);
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  const audit = nav.getByTestId("nav-/audit");
  const schemas = nav.getByTestId("nav-/schemas");
  await expect(audit).toBeVisible();
  await schemas.hover();
  await expect.poll(() => prefetched).toContain("/schemas");
  // Every navigation link was in view all along; of those the page's own content does not link to
  // as well, only the one hovered was fetched ahead.
  const links = await page.locator("a[href]").evaluateAll((as) =>
    as.map((a) => ({ path: new URL((a as HTMLAnchorElement).href).pathname, inNav: a.closest("nav[aria-label=Main]") !== null })),
  );
  const inContent = new Set(links.filter((l) => !l.inNav).map((l) => l.path));
  const navOnly = links.filter((l) => l.inNav && !inContent.has(l.path)).map((l) => l.path);
  expect(navOnly).toContain("/audit");
  // (Next may ask for a page's payload more than once: the route tree, then its data.)
  expect([...new Set(prefetched.filter((href) => navOnly.includes(href)))]).toEqual(["/schemas"]);
});

test("an admin changes a role in Settings and the Audit log records who did it", async ({ page }) => {
  await page.goto("/settings");
  await expect(page.getByTestId("current-user")).toContainText("admin@signalbox.local");
  const clusters = page.getByTestId("clusters");
  await expect(clusters).toContainText("local");
  await expect(clusters).not.toContainText("password set");

  const roleSelect = page.getByLabel("Role of viewer@signalbox.local");
  await expect(roleSelect).toHaveValue("viewer");
  await roleSelect.selectOption("support");
  await expect(roleSelect).toHaveValue("support");
  await page.screenshot({ path: path.join(import.meta.dirname, "../artifacts/settings.png"), fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByTestId("nav-/audit").click();
  const table = page.getByTestId("audit-table");
  const row = table.locator("tbody tr").first();
  await expect(row).toContainText("user.role.set");
  await expect(row).toContainText("admin@signalbox.local");
  await expect(row).toContainText("viewer@signalbox.local");
  await expect(row).toContainText('"after":"support"');
  await page.screenshot({ path: path.join(import.meta.dirname, "../artifacts/audit.png"), fullPage: true });

  // Put it back, so the suite can run again against the same database.
  await page.goto("/settings");
  await page.getByLabel("Role of viewer@signalbox.local").selectOption("viewer");
  await expect(page.getByLabel("Role of viewer@signalbox.local")).toHaveValue("viewer");
});

test("a hostile user name is shown as text, never run as HTML", async ({ page }) => {
  const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
  const email = `hostile-${Date.now()}@signalbox.local`;
  const db = new pg.Client({ connectionString: E2E_STACK.databaseUrl });
  await db.connect();
  try {
    await db.query(`INSERT INTO "User" (id, email, name, role) VALUES ($1, $2, $3, 'viewer')`, [`hostile-${Date.now()}`, email, hostile]);
    await page.goto("/settings");
    await expect(page.getByTestId("users").getByText(hostile, { exact: true })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.getByTestId("users").locator("img")).toHaveCount(0);
  } finally {
    await db.query(`DELETE FROM "User" WHERE email = $1`, [email]);
    await db.end();
  }
});
