// `npm run --silent token -- create --name NAME --role ROLE`: creates an API token and prints
// `NAME:SECRET` once on standard output, nothing else (so it can be piped into a secret store).
// Also: `list`, and `revoke --name NAME`. Messages go to standard error.
import { parseArgs } from "node:util";
import { disconnectDb, type Actor } from "~/server/catalog";
import { describeError } from "~/server/errors";
import { createToken, listTokens, revokeToken } from "~/server/services/auth/tokens";

/** The audit log names the command line as the actor of what it does. */
const CLI: Actor = { email: "cli@signalbox.local", name: "Signalbox CLI", role: "admin", kind: "system", method: "system", userAgent: "signalbox-cli" };

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, role: { type: "string" } }, strict: true });
  switch (command) {
    case "create": {
      const token = await createToken(CLI, { name: values.name ?? "", role: (values.role ?? "") as never });
      process.stdout.write(`${token.name}:${token.secret}\n`);
      return 0;
    }
    case "revoke":
      await revokeToken(CLI, values.name ?? "");
      process.stderr.write(`Revoked ${values.name}.\n`);
      return 0;
    case "list":
      for (const t of await listTokens()) process.stderr.write(`${t.name}\t${t.role}\t${t.revokedAt ? "revoked" : "active"}\tlast used ${t.lastUsedAt?.toISOString() ?? "never"}\n`);
      return 0;
    default:
      process.stderr.write("usage: npm run --silent token -- create --name NAME --role viewer|operator|architect|support|admin\n       npm run --silent token -- revoke --name NAME\n       npm run --silent token -- list\n");
      return 2;
  }
}

main()
  .then((code) => (process.exitCode = code))
  .catch((error) => {
    process.stderr.write(`token: ${describeError(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
