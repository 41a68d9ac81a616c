// `npx tsx scripts/test-idp.ts`: the demo's OpenID provider on its own, for trying single sign-on
// against a Signalbox started separately. Prints the issuer, the OIDC_* lines and the demo users.
//   TEST_IDP_PORT (default 4400)   SIGNALBOX_URL (default http://127.0.0.1:$PORT, PORT default 3000)
import { DEMO_IDP_PASSWORD, DEMO_IDP_PORT, describeDemoIdpUsers, startDemoIdp } from "./lib/demo-idp";

async function main() {
  const port = Number(process.env.TEST_IDP_PORT || DEMO_IDP_PORT);
  const signalboxUrl = process.env.SIGNALBOX_URL || `http://127.0.0.1:${process.env.PORT || 3000}`;
  const idp = await startDemoIdp({ port, signalboxUrl });

  console.log(`Test identity provider: ${idp.issuer}  (for a Signalbox at ${signalboxUrl})`);
  console.log("\nSignalbox's environment for it:");
  for (const [name, value] of Object.entries(idp.env)) console.log(`  ${name}=${value}`);
  console.log(`\nUsers (all with password "${DEMO_IDP_PASSWORD}"):\n${describeDemoIdpUsers()}`);
  console.log("\nCtrl-C stops it.");

  const stop = async () => {
    await idp.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
