import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit tests: pure logic beside the code (*.test.ts). Anything that needs the broker or
// PostgreSQL is an integration test (*.int.test.ts) and runs under vitest.integration.config.ts.
export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(import.meta.dirname, "src"),
      // broker/ and catalog/ import "server-only", which throws outside React's server condition;
      // tests run on the server side by definition, so they get its empty module.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "node_modules/**"],
    environment: "node",
  },
});
