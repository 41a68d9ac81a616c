import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const KAFKAJS = { group: ["kafkajs"], message: "Only src/server/broker/ may import kafkajs." };
const PRISMA = { group: ["@prisma/*", "**/catalog/generated/**"], message: "Only src/server/catalog/ may import Prisma." };
const POSTGRES = { group: ["pg", "pg-boss"], message: "Only src/server/catalog/ may talk to PostgreSQL (pg, pg-boss)." };

/**
 * The exceptions to the pg boundary, each for a reason: the test stack creates and drops databases
 * (scripts/lib/database.ts) and checks the embedded PostgreSQL (scripts/lib/embedded-postgres*),
 * the sampler benchmark times the raw writes (scripts/bench/), two e2e specs set up rows the UI
 * cannot create (e2e/auth/sign-in.spec.ts, e2e/navigation/areas.spec.ts), and the chaos suite reads
 * jobs and claims while the web is down (e2e/chaos/lib/catalog.ts).
 */
const POSTGRES_TOOLING = [
  "scripts/lib/database.ts",
  "scripts/lib/embedded-postgres.ts",
  "scripts/lib/embedded-postgres.int.test.ts",
  "scripts/bench/**",
  "e2e/auth/sign-in.spec.ts",
  "e2e/navigation/areas.spec.ts",
  "e2e/chaos/lib/catalog.ts",
];
/** The catalog, with Prisma's own config and seed. */
const CATALOG = ["src/server/catalog/**", "prisma.config.ts", "prisma/**"];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-*/**", ".cache/**", "dist/**", "src/server/catalog/generated/**", "next-env.d.ts", "e2e/artifacts/**", "test-results/**", "playwright-report/**"],
  },
  {
    // The architecture's boundaries: kafkajs lives in src/server/broker, Prisma and the PostgreSQL
    // drivers (pg, pg-boss) in src/server/catalog.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["src/server/broker/**", ...CATALOG, ...POSTGRES_TOOLING],
    rules: { "no-restricted-imports": ["error", { patterns: [KAFKAJS, PRISMA, POSTGRES] }] },
  },
  {
    files: ["src/server/broker/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [PRISMA, POSTGRES] }] },
  },
  {
    files: CATALOG,
    rules: { "no-restricted-imports": ["error", { patterns: [KAFKAJS] }] },
  },
  {
    // Outside the app, tooling that talks to PostgreSQL itself; it may not reach Kafka or Prisma.
    files: POSTGRES_TOOLING,
    rules: { "no-restricted-imports": ["error", { patterns: [KAFKAJS, PRISMA] }] },
  },
  {
    // Playwright fixtures take a callback named `use`; it is not React's `use` hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
