// Fixed ports and databases for the test stacks, apart from the demo's (19092, 3000, "signalbox"),
// so `npm test` can run while `npm run demo` is up.
export const INTEGRATION_STACK = {
  kafkaPort: 19192,
  databaseUrl: "postgresql://postgres@127.0.0.1:5432/signalbox_it",
} as const;

export const E2E_STACK = {
  kafkaPort: 19292,
  databaseUrl: "postgresql://postgres@127.0.0.1:5432/signalbox_e2e",
  webPort: 3100,
  distDir: ".next-e2e",
} as const;
