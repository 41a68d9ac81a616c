// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // kafkajs, the pg driver and pg-boss are Node libraries: keep them out of the server bundle.
  // @node-rs/crc32 loads a native addon (.node), which a bundle cannot hold.
  serverExternalPackages: ["kafkajs", "pg", "pg-boss", "@prisma/adapter-pg", "@node-rs/crc32"],
  // Separate build dirs let the e2e suite build while `npm run demo` runs from the same checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
};

export default nextConfig;
