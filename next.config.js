// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // kafkajs, the pg driver and pg-boss are Node libraries: keep them out of the server bundle.
  serverExternalPackages: ["kafkajs", "pg", "pg-boss", "@prisma/adapter-pg"],
  // Separate build dirs let the e2e suite build while `npm run demo` runs from the same checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
};

export default nextConfig;
