import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-*/**", ".cache/**", "dist/**", "src/server/catalog/generated/**", "next-env.d.ts", "e2e/artifacts/**", "test-results/**", "playwright-report/**"],
  },
  {
    // The architecture's boundaries: kafkajs lives in src/server/broker, Prisma in src/server/catalog.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["src/server/broker/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["kafkajs"], message: "Only src/server/broker/ may import kafkajs." },
            { group: ["@prisma/*", "**/catalog/generated/**"], message: "Only src/server/catalog/ may import Prisma." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/server/catalog/**", "prisma.config.ts", "prisma/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["kafkajs"], message: "Only src/server/broker/ may import kafkajs." }] }] },
  },
  {
    // Playwright fixtures take a callback named `use`; it is not React's `use` hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
