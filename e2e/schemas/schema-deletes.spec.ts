import path from "node:path";
import { expect, test } from "../fixtures";
import { EventTypePage, SchemasListPage } from "../pages/schemas-page";

// Deleting schema versions in the catalog UI (issue 17): an architect (the configured admin) soft-deletes
// a version with a typed confirmation, finds it again behind "Show deleted" with its badge, deletes it
// permanently, and is refused a permanent delete of a type still bound to a topic, naming the topic.
const SHOTS = path.join(import.meta.dirname, "../artifacts");
const run = Date.now().toString(36);

const parcel = (properties: Record<string, object> = {}) => ({ title: `ParcelLabelled${run}`, type: "object", additionalProperties: false, required: ["parcelId"], properties: { parcelId: { type: "string" }, ...properties } });

test("soft-delete a version, show it with its badge, delete it permanently; a bound type cannot be deleted permanently", async ({ page }) => {
  const name = `ParcelLabelled${run}`;
  const topic = `e2e-parcels-${run}`;
  const list = new SchemasListPage(page);
  await list.goto();
  await list.register({ name, domain: "logistics", owner: "warehouse", topics: topic, schema: parcel() });
  const detail = new EventTypePage(page);
  await expect(page).toHaveURL(new RegExp(`/schemas/${name}$`));
  await detail.submitVersion(parcel({ depot: { type: "string" } }));
  await expect(detail.versionRows).toHaveCount(2);

  // Soft delete of v1: the button stays disabled until the name is typed exactly.
  await page.locator('[data-testid="version-row"][data-version="1"]').getByTestId("version-delete").click();
  const confirm = page.getByTestId("delete-version");
  await expect(confirm.getByTestId("delete-version-submit")).toBeDisabled();
  await confirm.getByTestId("delete-version-input").fill(`${name} v2`);
  await expect(confirm.getByTestId("delete-version-submit")).toBeDisabled();
  await confirm.getByTestId("delete-version-input").fill(`${name} v1`);
  await page.screenshot({ path: path.join(SHOTS, "schemas-delete-confirm.png"), fullPage: true });
  await confirm.getByTestId("delete-version-submit").click();

  await expect(detail.versionRows).toHaveCount(1);
  await expect(page.getByTestId("show-deleted")).not.toBeChecked();
  await page.getByTestId("show-deleted").check();
  await expect(detail.versionRows).toHaveCount(2);
  const deletedRow = page.locator('[data-testid="version-row"][data-version="1"]');
  await expect(deletedRow.getByTestId("version-deleted-badge")).toHaveText("deleted");
  await page.screenshot({ path: path.join(SHOTS, "schemas-deleted-shown.png"), fullPage: true });

  // Permanent delete of a type bound to a topic is refused, naming the topic; nothing changes.
  await deletedRow.getByTestId("version-delete-permanent").click();
  const permanent = page.getByTestId("delete-version-permanent");
  await permanent.getByTestId("delete-version-permanent-input").fill(`${name} v1`);
  await permanent.getByTestId("delete-version-permanent-submit").click();
  await expect(permanent.getByTestId("delete-version-permanent-error")).toContainText(`still bound to topic '${topic}'`);
  await page.screenshot({ path: path.join(SHOTS, "schemas-delete-refused.png"), fullPage: true });
  await expect(detail.versionRows).toHaveCount(2);
});

test("an unbound type: soft-delete every version, then delete it permanently and it leaves the catalog", async ({ page }) => {
  const name = `ParcelWeighed${run}`;
  const list = new SchemasListPage(page);
  await list.goto();
  await list.register({ name, domain: "logistics", owner: "warehouse", topics: "", schema: { ...parcel(), title: name } });
  await expect(page).toHaveURL(new RegExp(`/schemas/${name}$`));

  await page.getByTestId("delete-event-type-open").click();
  await page.getByTestId("delete-event-type-soft-input").fill(name);
  await page.getByTestId("delete-event-type-soft-submit").click();
  await expect(page.getByTestId("version-row")).toHaveCount(0);
  await expect(page.getByTestId("all-versions-deleted")).toBeVisible();
  await expect(page.getByTestId("show-deleted")).toBeVisible();

  await page.getByTestId("delete-event-type-open").click();
  await page.getByTestId("delete-event-type-permanent-input").fill(name);
  await page.screenshot({ path: path.join(SHOTS, "schemas-delete-type-permanent.png"), fullPage: true });
  await page.getByTestId("delete-event-type-permanent-submit").click();
  await expect(page).toHaveURL(/\/schemas$/);
  await expect(list.row(name)).toHaveCount(0);
});
