import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit tests: pure logic beside the code (*.test.ts). Anything that needs the broker or
// PostgreSQL is an integration test (*.int.test.ts) and runs under vitest.integration.config.ts.
export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "node_modules/**"],
    environment: "node",
  },
});
