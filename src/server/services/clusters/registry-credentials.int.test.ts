// Integration: an external schema registry's credentials and CA set in Settings. The registry is a
// second Signalbox over HTTPS with a test CA and an API token (scripts/lib/external-registry.ts). An
// admin sets Basic credentials and the CA, tests, switches to a Bearer token, clears them; the password
// or token is stored sealed, reaches the registry, and is never in an answer (a real GET of
// clusters.list included), the audit log or a connection-test message. Test connection names the
// registry's problem: unreachable, 401, a CA it does not trust.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExternalRegistry, type ExternalRegistryHandle } from "../../../../scripts/lib/external-registry";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { GET as trpcGet } from "~/app/api/trpc/[trpc]/route";
import { getEnv } from "~/env";
import { findClusterWithSecrets, listAudit, type Actor } from "~/server/catalog";
import { createToken, revokeToken } from "~/server/services/auth/tokens";
import { open, parseSecretKey, sealedKeyId } from "~/server/services/secrets/secret-box";
import { listExternalSubjects } from "~/server/services/schemas/external-catalog";
import { schemaRegistryOf } from "./clusters";
import { resealClusterSecrets } from "./rotate-secrets";

const admin: Actor = { email: "registry-admin-it@signalbox.local", name: "Registry admin", role: "admin" };
const viewer: Actor = { email: "registry-viewer-it@signalbox.local", name: "Registry viewer", role: "viewer" };
const run = Date.now().toString(36);
const NAME = `reg-creds-${run}`;
const WRONG = "sbx_wrong_registry_token_xyz";

let external: ExternalRegistryHandle;
let clusterId = "";
const responses: unknown[] = [];
const keep = <T>(value: T): T => (responses.push(value), value);
const offset = Number(process.env.SIGNALBOX_TEST_PORT_OFFSET || 0);

beforeAll(async () => {
  external = await startExternalRegistry({
    port: INTEGRATION_STACK.externalRegistryPort,
    databaseUrl: INTEGRATION_STACK.externalRegistryDatabaseUrl,
    dir: path.resolve(`.cache/registry-credentials-it${offset ? `_${offset}` : ""}`),
    tokenName: "creds-it",
  });
}, 180_000);

closeConnectionsAfterAll(async () => {
  // Leave no sealed secret behind: other files count the catalog's secrets (key rotation).
  if (clusterId) await (await callerAs(admin)).clusters.remove({ id: clusterId }).catch(() => undefined);
});
afterAll(async () => {
  await external?.stop();
});

const base = () => ({ name: NAME, bootstrapServers: process.env.KAFKA_BROKERS!, securityProtocol: "PLAINTEXT" as const });
const sealedOpens = (sealed: string, id: string) => open(sealed, { current: parseSecretKey(getEnv().SIGNALBOX_SECRET_KEY!), previous: [] }, `Cluster.${id}.schemaRegistrySecret`);

describe("an external registry's credentials in Settings", () => {
  it("adds a cluster with HTTP Basic credentials and a CA: the answer says they are set, the row holds the password sealed", async () => {
    const created = keep(
      await (await callerAs(admin)).clusters.create({
        ...base(),
        schemaRegistryUrl: external.url,
        schemaRegistryAuth: "basic",
        schemaRegistryUsername: external.tokenName,
        schemaRegistryPassword: external.token,
        schemaRegistryCa: external.caPem,
      }),
    );
    clusterId = created.id;
    expect(created).toMatchObject({ schemaRegistryUrl: external.url, schemaRegistryAuthKind: "basic", schemaRegistryUsername: external.tokenName, hasSchemaRegistrySecret: true, hasSchemaRegistryCa: true });
    const row = (await findClusterWithSecrets(clusterId))!;
    expect(row.schemaRegistrySecretSealed).toMatch(/^sb1\.[0-9a-f]{16}\./);
    expect(sealedOpens(row.schemaRegistrySecretSealed!, clusterId)).toBe(external.token);
    const [entry] = await listAudit({ limit: 1 });
    expect(entry).toMatchObject({ actorEmail: admin.email, action: "cluster.create", targetId: NAME, details: { hasSchemaRegistrySecret: true, schemaRegistryAuthKind: "basic" } });
  });

  it("reads the registry with them (its subjects), and test connection checks the registry too", async () => {
    expect(await schemaRegistryOf(getEnv(), NAME)).toMatchObject({ url: external.url, auth: { kind: "basic", username: external.tokenName }, ca: external.caPem });
    const listing = await listExternalSubjects(getEnv(), NAME);
    expect(listing).not.toBeNull();
    const report = keep(await (await callerAs(admin)).clusters.test({ id: clusterId }));
    expect(report.ok, JSON.stringify(report)).toBe(true);
    expect(report.registry).toMatchObject({ url: external.url, ok: true, failure: null, message: expect.stringMatching(/answered GET \/subjects: \d+ subjects? \(HTTP Basic authentication\)/) });
    const [entry] = await listAudit({ limit: 1 });
    expect(entry).toMatchObject({ action: "cluster.test", targetId: NAME, details: { ok: true, registry: { url: external.url, ok: true, failure: null } } });
  });

  it("names the registry's problem: a refused token (401), a CA it does not trust, nothing listening", async () => {
    const caller = await callerAs(admin);
    const draft = (registry: Record<string, unknown>) => caller.clusters.test({ id: clusterId, cluster: { ...base(), schemaRegistryUrl: external.url, ...registry } });
    const refused = keep(await draft({ schemaRegistryAuth: "bearer", schemaRegistryToken: WRONG }));
    expect(refused.ok).toBe(false);
    expect(refused.failure).toBeNull(); // Kafka itself connected
    expect(refused.registry).toMatchObject({ ok: false, failure: "unauthorized", message: expect.stringMatching(/refused GET \/subjects \(HTTP 401.*Check the registry credentials/) });

    // Basic with the password left blank keeps the stored one (same URL); without the stored CA the chain is not trusted.
    const untrusted = keep(await draft({ schemaRegistryAuth: "basic", schemaRegistryUsername: external.tokenName, remove: ["schemaRegistryCa"] }));
    expect(untrusted.registry).toMatchObject({ ok: false, failure: "tls", message: expect.stringMatching(/TLS: its certificate .*not trust.*registry CA in Settings/) });

    const down = keep(await caller.clusters.test({ cluster: { ...base(), name: `${NAME}-down`, schemaRegistryUrl: "http://127.0.0.1:1/apis/ccompat/v7" } }));
    expect(down.registry).toMatchObject({ ok: false, failure: "unreachable", message: expect.stringMatching(/cannot be reached: connection refused/) });
  });

  it("edits: a blank password keeps the stored one; a new URL needs it typed again; Bearer replaces it; None clears it; the CA can be removed", async () => {
    const caller = await callerAs(admin);
    const update = (registry: Record<string, unknown>) => caller.clusters.update({ id: clusterId, cluster: { ...base(), ...registry } });
    const kept = keep(await update({ schemaRegistryUrl: external.url, schemaRegistryAuth: "basic", schemaRegistryUsername: external.tokenName, label: "kept" }));
    expect(kept).toMatchObject({ hasSchemaRegistrySecret: true, hasSchemaRegistryCa: true, label: "kept" });
    // Sealed again (a fresh IV on every save), but the same token inside.
    expect(sealedOpens((await findClusterWithSecrets(clusterId))!.schemaRegistrySecretSealed!, clusterId)).toBe(external.token);
    expect((await listAudit({ limit: 1 }))[0]).toMatchObject({ action: "cluster.update", details: { secretsChanged: [] } });

    await expect(update({ schemaRegistryUrl: "https://registry.elsewhere.example", schemaRegistryAuth: "basic", schemaRegistryUsername: external.tokenName })).rejects.toThrow(
      /schemaRegistryPassword: type it again: the registry URL changed/,
    );
    await expect(update({ schemaRegistryAuth: "bearer", schemaRegistryToken: "t" })).rejects.toThrow(/schemaRegistryUrl: required with registry credentials/);
    await expect(update({ schemaRegistryUrl: external.url, schemaRegistryAuth: "basic", schemaRegistryUsername: "u", schemaRegistryCa: "not a certificate" })).rejects.toThrow(/schemaRegistryCa: is not a PEM certificate/);
    await expect(update({ schemaRegistryUrl: "http://registry.example", schemaRegistryAuth: "none", schemaRegistryCa: external.caPem })).rejects.toThrow(/schemaRegistryCa: given, but the registry URL is http:\/\//);

    const bearer = keep(await update({ schemaRegistryUrl: external.url, schemaRegistryAuth: "bearer", schemaRegistryToken: external.token }));
    expect(bearer).toMatchObject({ schemaRegistryAuthKind: "bearer", schemaRegistryUsername: null, hasSchemaRegistrySecret: true, hasSchemaRegistryCa: true });
    expect((await listAudit({ limit: 1 }))[0]).toMatchObject({ details: { secretsChanged: ["schemaRegistrySecret"] } });
    expect(keep(await caller.clusters.test({ id: clusterId })).registry).toMatchObject({ ok: true, message: expect.stringContaining("Bearer authentication") });

    const cleared = keep(await update({ schemaRegistryUrl: external.url, schemaRegistryAuth: "none", remove: ["schemaRegistryCa"] }));
    expect(cleared).toMatchObject({ schemaRegistryAuthKind: null, hasSchemaRegistrySecret: false, hasSchemaRegistryCa: false });
    const row = (await findClusterWithSecrets(clusterId))!;
    expect([row.schemaRegistrySecretSealed, row.schemaRegistryCa, row.schemaRegistryUsername]).toEqual([null, null, null]);
    expect((await listAudit({ limit: 1 }))[0]).toMatchObject({ details: { secretsChanged: ["schemaRegistrySecret"] } });

    // Back to Basic for the last test.
    keep(await update({ schemaRegistryUrl: external.url, schemaRegistryAuth: "basic", schemaRegistryUsername: external.tokenName, schemaRegistryPassword: external.token, schemaRegistryCa: external.caPem }));
  });

  it("key rotation re-seals the registry secret too, and it still reaches the registry", async () => {
    const oldEnv = getEnv();
    const newKey = randomBytes(32).toString("base64");
    await resealClusterSecrets({ ...oldEnv, SIGNALBOX_SECRET_KEY: newKey, SIGNALBOX_SECRET_KEYS_PREVIOUS: [oldEnv.SIGNALBOX_SECRET_KEY!] }, admin);
    expect(sealedKeyId((await findClusterWithSecrets(clusterId))!.schemaRegistrySecretSealed!)).toBe(parseSecretKey(newKey).id);
    expect(await schemaRegistryOf({ ...oldEnv, SIGNALBOX_SECRET_KEY: newKey, SIGNALBOX_SECRET_KEYS_PREVIOUS: undefined }, NAME)).toMatchObject({ auth: { kind: "basic", password: external.token } });
    // Back to the run's key.
    await resealClusterSecrets({ ...oldEnv, SIGNALBOX_SECRET_KEYS_PREVIOUS: [newKey] }, admin);
    expect(keep(await (await callerAs(admin)).clusters.test({ id: clusterId })).registry).toMatchObject({ ok: true });
  });

  it("a viewer may not change them; GET of clusters.list over HTTP never holds the secret; neither does the audit log", async () => {
    await expect((await callerAs(viewer)).clusters.update({ id: clusterId, cluster: { ...base(), schemaRegistryUrl: external.url } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { secret: viewerToken, name: tokenName } = await createToken(admin, { name: `reg-viewer-${run}`, role: "viewer" });
    try {
      const response = await trpcGet(new Request("http://127.0.0.1:3000/api/trpc/clusters.list", { headers: { authorization: `Bearer ${viewerToken}`, host: "127.0.0.1:3000" } }));
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).toContain(NAME);
      expect(body).toContain('"hasSchemaRegistrySecret":true');
      const sealed = (await findClusterWithSecrets(clusterId))!.schemaRegistrySecretSealed!;
      for (const secret of [external.token, sealed, WRONG]) expect(body).not.toContain(secret);
    } finally {
      await revokeToken(admin, tokenName);
    }
    const audit = keep(await (await callerAs(admin)).audit.list({ limit: 100 }));
    expect(JSON.stringify(audit)).toContain(NAME);
    const everything = JSON.stringify(responses);
    for (const secret of [external.token, WRONG]) expect(everything).not.toContain(secret);
  });
});
