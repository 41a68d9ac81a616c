import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const KAFKAJS = { group: ["kafkajs"], message: "Only src/server/broker/ may import kafkajs." };
const PRISMA = { group: ["@prisma/*", "**/catalog/generated/**"], message: "Only src/server/catalog/ may import Prisma." };
const POSTGRES = { group: ["pg", "pg-boss"], message: "Only src/server/catalog/ may talk to PostgreSQL (pg, pg-boss)." };
const KYSELY = { group: ["kysely"], message: "Only src/server/catalog/ writes SQL (Kysely)." };

/** Where test data may be imported from: tests, end-to-end specs and benchmarks. */
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "e2e/**", "scripts/bench/**"];
// An import, re-export or dynamic import of __fixtures__/ or a *.fixtures.ts module.
const FIXTURE_SOURCE = "[source.value=/__fixtures__|\\.fixtures(\\.ts)?$/]";
const FIXTURE_IMPORT = {
  selector: ["ImportDeclaration", "ImportExpression", "ExportAllDeclaration", "ExportNamedDeclaration"].map((node) => node + FIXTURE_SOURCE).join(", "),
  message: "Test fixtures (__fixtures__/, *.fixtures.ts) are for tests, e2e/ and scripts/bench only, never production code.",
};
const RAW_SQL = {
  selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw)(Unsafe|Typed)?$/]",
  message: "Write SQL with Kysely (getSql() in src/server/catalog/db.ts); executeInTransaction runs a Kysely statement inside a Prisma transaction.",
};

/**
 * The exceptions to the pg boundary, each for a reason: the test stack creates and drops databases
 * (scripts/lib/database.ts) and checks the embedded PostgreSQL (scripts/lib/embedded-postgres*),
 * the sampler benchmark times the raw writes (scripts/bench/), two e2e specs set up rows the UI
 * cannot create (e2e/auth/sign-in.spec.ts, e2e/navigation/areas.spec.ts; e2e/outbox/outbox.spec.ts
 * makes an outbox table that no relay serves), and the chaos suite reads
 * jobs and claims while the web is down (e2e/chaos/lib/catalog.ts). The demo shop's database
 * (src/demo/shop-database.ts) is an application's own database with its outbox, not Signalbox's,
 * and the outbox monitor reads such tables read-only (src/server/outbox/).
 */
const POSTGRES_TOOLING = [
  "scripts/lib/database.ts",
  "scripts/lib/embedded-postgres.ts",
  "scripts/lib/embedded-postgres.int.test.ts",
  "scripts/bench/**",
  "e2e/auth/sign-in.spec.ts",
  "e2e/navigation/areas.spec.ts",
  "e2e/outbox/outbox.spec.ts",
  "e2e/chaos/lib/catalog.ts",
  "src/demo/shop-database.ts",
  "src/server/outbox/**",
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
    rules: { "no-restricted-imports": ["error", { patterns: [KAFKAJS, PRISMA, POSTGRES, KYSELY] }] },
  },
  {
    files: ["src/server/broker/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [PRISMA, POSTGRES, KYSELY] }] },
  },
  {
    files: CATALOG,
    rules: { "no-restricted-imports": ["error", { patterns: [KAFKAJS] }] },
  },
  {
    // Outside the app, tooling that talks to PostgreSQL itself; it may not reach Kafka or Prisma.
    files: POSTGRES_TOOLING,
    rules: { "no-restricted-imports": ["error", { patterns: [KAFKAJS, PRISMA, KYSELY] }] },
  },
  {
    // Production code takes no test fixtures, and writes no SQL through Prisma's raw API (one typed
    // way to write SQL: Kysely). db.ts's executeInTransaction is the one bridge into a Prisma transaction.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: [...TESTS, "src/server/catalog/db.ts"],
    rules: { "no-restricted-syntax": ["error", FIXTURE_IMPORT, RAW_SQL] },
  },
  {
    files: TESTS,
    rules: { "no-restricted-syntax": ["error", RAW_SQL] },
  },
  {
    files: ["src/server/catalog/db.ts"],
    rules: { "no-restricted-syntax": ["error", FIXTURE_IMPORT] },
  },
  {
    // Playwright fixtures take a callback named `use`; it is not React's `use` hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
