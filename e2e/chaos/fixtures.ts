// The chaos specs' fixtures: the stack (started once per test worker, stopped when it ends; a test
// that fails gets a fresh one for the next), the browser signed in as the admin through the proxy,
// and a direct reader of the catalog.
import { test as base } from "@playwright/test";
import { ChaosCatalog } from "./lib/catalog";
import { startChaosStack, type ChaosStack } from "./lib/stack";

export const test = base.extend<{ catalog: ChaosCatalog }, { chaos: ChaosStack }>({
  chaos: [
    async ({}, use) => {
      const stack = await startChaosStack();
      try {
        await use(stack);
      } finally {
        await stack.stop();
      }
    },
    { scope: "worker", timeout: 600_000 },
  ],
  storageState: async ({ chaos }, use) => use(chaos.adminState),
  baseURL: async ({ chaos }, use) => use(chaos.url),
  catalog: async ({ chaos }, use) => {
    const catalog = new ChaosCatalog(chaos.databaseUrl);
    await use(catalog);
    await catalog.close();
  },
});

export { expect } from "@playwright/test";
