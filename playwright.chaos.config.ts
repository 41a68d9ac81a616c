import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "./e2e/chromium";

// The chaos suite (`npm run test:chaos`; `test:chaos:short` is the last stage of `npm test`): each
// spec crashes a part of its own stack mid-job (e2e/chaos/lib/stack.ts starts it, once per test
// worker), then checks with kcat that nothing was lost or duplicated and in Chromium that the job
// page shows the true final state. One worker: the scenarios share one broker and one database.
export default defineConfig({
  testDir: "./e2e/chaos",
  outputDir: "./test-results/chaos",
  globalSetup: "./e2e/chaos/global-setup.ts",
  globalTeardown: "./e2e/chaos/global-teardown.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  use: {
    viewport: { width: 1440, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
});
