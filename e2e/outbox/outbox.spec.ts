// The Outbox page on the e2e stack: the demo shop's outbox, served by its relay, keeps up; a
// second watched outbox (legacy-billing) has no table at first, which the page says, and once the
// table holds rows that no relay publishes, the page calls its relay stalled.
import path from "node:path";
import pg from "pg";
import { shopDatabaseUrl } from "../../scripts/lib/database";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { expect, test } from "../fixtures";

const ARTIFACTS = path.join(import.meta.dirname, "../artifacts");

async function shopSql(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: shopDatabaseUrl(E2E_STACK.databaseUrl) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

test.afterAll(async () => {
  await shopSql("DROP TABLE IF EXISTS shop.legacy_outbox");
});

test("the shop's relay keeps up; an outbox with no table says so, and one whose relay does not run is stalled", async ({ page }) => {
  await shopSql("DROP TABLE IF EXISTS shop.legacy_outbox");
  await page.goto("/c/local/outbox");
  const shop = page.locator('[data-testid="outbox-card"][data-outbox="shop"]');
  await expect(shop).toHaveAttribute("data-status", "OK", { timeout: 30_000 });
  await expect(shop.getByTestId("outbox-status")).toHaveText("relay keeping up");
  // The demo places 5 orders a second through the outbox: a publish rate shows.
  await expect(shop.getByTestId("outbox-rate")).toHaveText(/^[\d.]+\/s$/, { timeout: 30_000 });
  await expect(shop).toContainText("shop.outbox");
  // Where the table lives, without the credentials.
  await expect(page.getByTestId("outbox-page")).not.toContainText("postgresql://");

  const legacy = page.locator('[data-testid="outbox-card"][data-outbox="legacy-billing"]');
  await expect(legacy).toHaveAttribute("data-status", "UNREACHABLE", { timeout: 30_000 });
  await expect(legacy.getByTestId("outbox-read-error")).toContainText('relation "shop.legacy_outbox" does not exist');

  // Three events written five minutes ago, that nothing has published.
  await shopSql(`CREATE TABLE shop.legacy_outbox (id uuid PRIMARY KEY, aggregatetype text NOT NULL, aggregateid text NOT NULL, type text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL);
    INSERT INTO shop.legacy_outbox SELECT gen_random_uuid(), 'invoice', 'inv-' || n, 'InvoiceIssued', '{}'::jsonb, now() - interval '5 minutes' FROM generate_series(1, 3) AS n`);
  await expect(legacy).toHaveAttribute("data-status", "STALLED", { timeout: 30_000 });
  await expect(legacy.getByTestId("outbox-status")).toHaveText("relay stalled");
  await expect(legacy.getByTestId("outbox-unpublished")).toHaveText("3");
  await expect(legacy.getByTestId("outbox-oldest")).toHaveText(/^5 m/);
  await expect(legacy.getByTestId("outbox-read-error")).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "outbox.png"), fullPage: true });
});
