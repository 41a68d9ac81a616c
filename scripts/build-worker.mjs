// Builds the worker into one plain-JavaScript file, dist/worker/index.mjs, so it runs on Node alone.
// Running it through tsx instead costs a second Node process (tsx's CLI stays as the parent),
// a loader thread and the transpiled-source caches: about 120 MB of resident memory in all,
// measured with the 2,000-topic benchmark (README, "Benchmark: sampler at scale").
// Our own code is bundled; packages stay imports from node_modules, as under tsx. Takes < 1 s.
import { build } from "esbuild";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/**
 * broker/ and catalog/ import "server-only", whose plain entry throws (it is empty only under React's
 * "react-server" condition). The worker is server code by definition, so the marker compiles to nothing.
 */
const serverOnlyIsEmpty = {
  name: "server-only-is-empty",
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "server-only-is-empty" }));
    build.onLoad({ filter: /.*/, namespace: "server-only-is-empty" }, () => ({ contents: "", loader: "js" }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ["src/worker/index.ts"],
  outfile: "dist/worker/index.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  plugins: [serverOnlyIsEmpty],
  // Stack traces name the TypeScript sources when Node runs with --enable-source-maps.
  sourcemap: true,
  logLevel: "warning",
});
