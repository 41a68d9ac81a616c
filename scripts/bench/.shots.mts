import { launchChromium } from "./lib/browser";
const url = process.argv[2]!;
const browser = await launchChromium();
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
for (const [path, row, filter, text] of [["/groups", "group-row", "group-filter", "bench-group-12"], ["/topics", "topic-row", "topic-filter", "bench-0420"]] as const) {
  await page.goto(url + path);
  await page.getByTestId(row).first().waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `e2e/artifacts/scale${path.replace("/", "-")}-all.png` });
  await page.getByTestId(filter).fill(text);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `e2e/artifacts/scale${path.replace("/", "-")}-filtered.png` });
  await page.getByTestId(filter).fill("nothing-is-called-this");
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `e2e/artifacts/scale${path.replace("/", "-")}-no-match.png` });
}
await browser.close();
