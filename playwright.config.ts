import { defineConfig } from "@playwright/test";
import { ADMIN_STATE } from "./e2e/auth";
import { CHROMIUM_LAUNCH_OPTIONS } from "./e2e/chromium";
import { E2E_STACK } from "./scripts/lib/test-ports";

// End-to-end tests drive Debian's Chromium (Playwright cannot download its own browser here)
// against the whole stack, started by e2e/global-setup.ts on a real broker and PostgreSQL.
export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_STACK.webPort}`,
    // Signed in as the admin (e2e/global-setup.ts); e2e/auth specs sign in as each role themselves.
    storageState: ADMIN_STATE,
    viewport: { width: 1440, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  projects: [
    // The chaos suite (e2e/chaos) crashes its own stack: playwright.chaos.config.ts runs it.
    { name: "app", testIgnore: [/outage\//, /e2e\/chaos\//] },
    // Stopping the broker disturbs every other test, so it runs last, on its own.
    { name: "outage", testMatch: /outage\/.*\.spec\.ts/, dependencies: ["app"] },
  ],
});
