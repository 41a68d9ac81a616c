// `npm run --silent secrets -- rotate`: re-seals every cluster secret in the catalog under
// SIGNALBOX_SECRET_KEY, opening the old ones with SIGNALBOX_SECRET_KEYS_PREVIOUS; `new-key` prints a
// fresh key. See docs/clusters.md, "Rotating the key". Nothing secret is printed by `rotate`.
import { randomBytes } from "node:crypto";
import { ConfigError, getEnv } from "~/env";
import { disconnectDb, type Actor } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { resealClusterSecrets } from "~/server/services/clusters/rotate-secrets";

const CLI: Actor = { email: "cli@signalbox.local", name: "Signalbox CLI", role: "admin", kind: "system", method: "system", userAgent: "signalbox-cli" };

async function main(): Promise<number> {
  const [command] = process.argv.slice(2);
  switch (command) {
    case "new-key":
      process.stdout.write(`${randomBytes(32).toString("base64")}\n`);
      return 0;
    case "rotate": {
      const outcome = await resealClusterSecrets(getEnv(), CLI);
      process.stderr.write(`Re-sealed ${outcome.resealed} secret(s) under the current key; ${outcome.current} already were.\n`);
      if (outcome.skipped.length > 0) {
        process.stderr.write(`Changed while this ran, run it again: ${outcome.skipped.join(", ")}\n`);
        return 1;
      }
      return 0;
    }
    default:
      process.stderr.write("usage: npm run --silent secrets -- rotate    re-seal every stored secret under SIGNALBOX_SECRET_KEY\n       npm run --silent secrets -- new-key   print a new key (32 random bytes, base64)\n");
      return 2;
  }
}

main()
  .then((code) => (process.exitCode = code))
  .catch((error) => {
    process.stderr.write(`secrets: ${error instanceof ConfigError ? error.message : describeError(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
