// Integration: clusters in Settings against a real SASL_SSL / mutual TLS broker and the real catalog.
// An admin adds clusters with a SCRAM password and a TLS private key, tests, edits and removes
// them; every API response, every log line written meanwhile (at debug level, kafkajs included)
// and the audit log are then searched for the secrets, which must be absent. The rows hold them
// sealed, rotation re-seals them, and without a key nothing secret is stored.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRAM_USERS, startSecuredKafka, type SecuredKafka } from "../../../../scripts/lib/secured-kafka";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { INTEGRATION_STACK } from "../../../../scripts/lib/test-ports";
import { getEnv, parseEnv, redactEnv, type Env } from "~/env";
import { findClusterWithSecrets, listAudit, type Actor } from "~/server/catalog";
import { open, parseSecretKey, sealedKeyId } from "~/server/services/secrets/secret-box";
import { addCluster as addClusterRequest, connectionOfRow } from "./clusters";
import { clusterInput } from "./clusters.types";
import { resealClusterSecrets } from "./rotate-secrets";

const admin: Actor = { email: "clusters-admin-it@signalbox.local", name: "Clusters admin", role: "admin" };
const viewer: Actor = { email: "clusters-viewer-it@signalbox.local", name: "Clusters viewer", role: "viewer" };

let kafka: SecuredKafka;
const PASSWORD = SCRAM_USERS.alice.password;
/** A line from the middle of the client's private key: what would show if any of it leaked. */
let keyLine: string;

const captured: string[] = [];
const responses: unknown[] = [];
let restoreStderr: () => void;

beforeAll(async () => {
  kafka = await startSecuredKafka(INTEGRATION_STACK.securedKafkaPort);
  keyLine = kafka.pki.client.key.split("\n").find((l) => l.length > 40)!;
  // Every log line of this process from here on, at the most talkative level.
  process.env.LOG_LEVEL = "debug";
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  restoreStderr = () => (process.stderr.write = write);
}, 180_000);

closeConnectionsAfterAll();
afterAll(async () => {
  restoreStderr?.();
  process.env.LOG_LEVEL = "warn";
  await kafka?.stop();
});

/** The service takes what the router parsed; so does this file when it calls the service itself. */
const addCluster = (actor: Actor, env: Env, input: unknown) => addClusterRequest(actor, env, clusterInput.parse(input));

const keep = <T>(value: T): T => {
  responses.push(value);
  return value;
};

describe("clusters in Settings", () => {
  let scramId: string;
  let mtlsId: string;

  it("adds a SASL_SSL SCRAM-SHA-512 cluster; the answer says a password is set, the row holds it sealed", async () => {
    const caller = await callerAs(admin);
    const created = keep(
      await caller.clusters.create({
        name: "scram-it",
        bootstrapServers: kafka.saslSsl,
        securityProtocol: "SASL_SSL",
        saslMechanism: "SCRAM-SHA-512",
        saslUsername: "alice",
        saslPassword: PASSWORD,
        tlsCa: kafka.pki.ca.cert,
        label: "staging",
        color: "#2f9e44",
      }),
    );
    scramId = created.id;
    expect(created).toMatchObject({ name: "scram-it", source: "settings", securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512", saslUsername: "alice", hasPassword: true, hasTlsCa: true, hasTlsKey: false, label: "staging" });
    const row = (await findClusterWithSecrets(scramId))!;
    expect(row.saslPasswordSealed).toMatch(/^sb1\.[0-9a-f]{16}\./);
    expect(row.saslPasswordSealed).not.toContain(PASSWORD);
    expect(open(row.saslPasswordSealed!, { current: parseSecretKey(getEnv().SIGNALBOX_SECRET_KEY!), previous: [] }, `Cluster.${scramId}.saslPassword`)).toBe(PASSWORD);
    const [entry] = await listAudit({ limit: 1 });
    expect(entry).toMatchObject({ actorEmail: admin.email, action: "cluster.create", targetType: "cluster", targetId: "scram-it" });
    expect(entry!.details).toMatchObject({ hasPassword: true });
  });

  it("tests the saved cluster with its stored password, and the form's values with a wrong one", async () => {
    const caller = await callerAs(admin);
    const saved = keep(await caller.clusters.test({ id: scramId }));
    expect(saved.ok, JSON.stringify(saved.steps)).toBe(true);
    expect(saved.steps.map((s) => s.step)).toEqual(["tcp", "tls", "sasl", "metadata", "authorization"]);
    const wrong = keep(
      await caller.clusters.test({ id: scramId, cluster: { name: "scram-it", bootstrapServers: kafka.saslSsl, securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512", saslUsername: "alice", saslPassword: "wrong-secret-xyz" } }),
    );
    expect(wrong.failure).toMatchObject({ step: "sasl", category: "sasl-credentials" });
    expect(JSON.stringify(wrong)).not.toContain("wrong-secret-xyz");
    const [entry] = await listAudit({ limit: 1 });
    expect(entry).toMatchObject({ action: "cluster.test", targetId: "scram-it", details: { ok: false, failedStep: "sasl", category: "sasl-credentials" } });
  });

  it("edits a cluster with the password left blank: the stored one is kept, and still connects", async () => {
    const caller = await callerAs(admin);
    const edited = keep(await caller.clusters.update({ id: scramId, cluster: { name: "scram-it", bootstrapServers: kafka.saslSsl, securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512", saslUsername: "alice", label: "prod" } }));
    expect(edited).toMatchObject({ hasPassword: true, hasTlsCa: true, label: "prod" });
    const [entry] = await listAudit({ limit: 1 });
    expect(entry).toMatchObject({ action: "cluster.update", details: { before: { label: "staging" }, after: { label: "prod" }, secretsChanged: [] } });
    expect(keep(await caller.clusters.test({ id: scramId })).ok).toBe(true);
    // Elsewhere, the stored password does not go along: it must be typed again.
    await expect(
      caller.clusters.test({ id: scramId, cluster: { name: "scram-it", bootstrapServers: "attacker.example:9093", securityProtocol: "SASL_SSL", saslMechanism: "PLAIN", saslUsername: "alice" } }),
    ).rejects.toThrow(/saslPassword: type it again: the bootstrap servers changed/);
  });

  it("adds a mutual TLS cluster with a client key; it connects, and the key is stored sealed", async () => {
    const caller = await callerAs(admin);
    const created = keep(await caller.clusters.create({ name: "mtls-it", bootstrapServers: [kafka.mtls], securityProtocol: "SSL", tlsCa: kafka.pki.ca.cert, tlsCert: kafka.pki.client.cert, tlsKey: kafka.pki.client.key }));
    mtlsId = created.id;
    expect(created).toMatchObject({ hasTlsCert: true, hasTlsKey: true, hasPassword: false });
    expect((await findClusterWithSecrets(mtlsId))!.tlsKeySealed).toMatch(/^sb1\./);
    const report = keep(await caller.clusters.test({ id: mtlsId }));
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);
  });

  it("lists clusters to a viewer without any secret, and refuses changes to a viewer", async () => {
    const caller = await callerAs(viewer);
    const clusters = keep(await caller.clusters.list());
    expect(clusters.map((c) => c.name)).toEqual(expect.arrayContaining(["integration", "scram-it", "mtls-it"]));
    expect(clusters.find((c) => c.name === "integration")).toMatchObject({ source: "configuration", isDefault: true });
    await expect(caller.clusters.remove({ id: mtlsId })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("names bad input, refuses to change a configured cluster, and refuses a taken name", async () => {
    const caller = await callerAs(admin);
    await expect(caller.clusters.create({ name: "bad-it", bootstrapServers: "no-port", securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(addCluster(admin, getEnv(), { name: "bad-it", bootstrapServers: "b:9093", securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" })).rejects.toThrow(
      /The cluster is not valid: saslUsername: required for SASL_SSL; saslPassword: required for SASL_SSL/,
    );
    await expect(addCluster(admin, getEnv(), { name: "bad-it", bootstrapServers: "b:9093", securityProtocol: "SSL", tlsCa: "not a certificate" })).rejects.toThrow(/tlsCa: is not a PEM certificate/);
    await expect(addCluster(admin, getEnv(), { name: "bad-it", bootstrapServers: "b:9093", securityProtocol: "SSL", tlsCert: kafka.pki.client.cert, tlsKey: kafka.pki.strangerClient.key })).rejects.toThrow(/tlsKey: does not belong to the client certificate/);
    const configured = (await caller.clusters.list()).find((c) => c.name === "integration")!;
    await expect(caller.clusters.remove({ id: configured.id })).rejects.toThrow(/defined in configuration/);
    await expect(caller.clusters.create({ name: "integration", bootstrapServers: "b:9092", securityProtocol: "PLAINTEXT" })).rejects.toThrow(/defined in configuration/);
    await expect(caller.clusters.create({ name: "scram-it", bootstrapServers: "b:9092", securityProtocol: "PLAINTEXT" })).rejects.toThrow(/already exists/);
  });

  it("refuses to store a secret when no key is configured, naming the variable", async () => {
    const noKey: Env = { ...getEnv(), SIGNALBOX_SECRET_KEY: undefined };
    await expect(addCluster(admin, noKey, { name: "nokey-it", bootstrapServers: "b:9093", securityProtocol: "SASL_SSL", saslMechanism: "PLAIN", saslUsername: "u", saslPassword: "p-nokey" })).rejects.toThrow(
      /will not store a secret unencrypted, and SIGNALBOX_SECRET_KEY is not set/,
    );
    // A cluster without secrets needs no key.
    const plain = await addCluster(admin, noKey, { name: "nokey-it", bootstrapServers: "b:9092", securityProtocol: "PLAINTEXT" });
    await (await callerAs(admin)).clusters.remove({ id: plain.id });
  });

  it("rotates the key: every secret re-sealed under the new one, and still opens", async () => {
    const oldEnv = getEnv();
    const newKey = randomBytes(32).toString("base64");
    const rotated: Env = { ...oldEnv, SIGNALBOX_SECRET_KEY: newKey, SIGNALBOX_SECRET_KEYS_PREVIOUS: [oldEnv.SIGNALBOX_SECRET_KEY!] };
    const outcome = await resealClusterSecrets(rotated, admin);
    expect(outcome).toMatchObject({ resealed: 2, skipped: [] });
    const newId = parseSecretKey(newKey).id;
    const scram = (await findClusterWithSecrets(scramId))!;
    expect(sealedKeyId(scram.saslPasswordSealed!)).toBe(newId);
    // The new key alone opens them now.
    const onlyNew: Env = { ...oldEnv, SIGNALBOX_SECRET_KEY: newKey, SIGNALBOX_SECRET_KEYS_PREVIOUS: undefined };
    expect(connectionOfRow(onlyNew, scram).sasl?.password).toBe(PASSWORD);
    expect(connectionOfRow(onlyNew, (await findClusterWithSecrets(mtlsId))!).tls?.key).toBe(kafka.pki.client.key);
    expect(() => connectionOfRow(oldEnv, scram)).toThrow(new RegExp(`sealed with key ${newId}`));
    // Back to the run's key, so the next tests open them.
    expect((await resealClusterSecrets({ ...oldEnv, SIGNALBOX_SECRET_KEYS_PREVIOUS: [newKey] }, admin)).resealed).toBe(2);
  });

  it("removes a cluster, audited", async () => {
    const caller = await callerAs(admin);
    await caller.clusters.remove({ id: mtlsId });
    expect((await caller.clusters.list()).some((c) => c.name === "mtls-it")).toBe(false);
    const [entry] = await listAudit({ limit: 1 });
    expect(entry).toMatchObject({ action: "cluster.delete", targetId: "mtls-it" });
  });

  it("never let a secret out: API responses, audit log, configuration log and every log line", async () => {
    const audit = keep(await (await callerAs(admin)).audit.list({ limit: 100 }));
    expect(audit.length).toBeGreaterThan(5);
    // The configuration as the web server logs it at start, with a clusters document holding secrets inline.
    const env = parseEnv({
      DATABASE_URL: "postgresql://u:dbpass-xyz@h/db",
      SIGNALBOX_CLUSTERS: JSON.stringify([{ name: "inline", bootstrapServers: "b:9093", securityProtocol: "SASL_SSL", sasl: { mechanism: "SCRAM-SHA-512", username: "alice", password: PASSWORD } }]),
    });
    responses.push(redactEnv(env));
    const everything = [JSON.stringify(responses), ...captured].join("\n");
    expect(captured.length).toBeGreaterThan(0);
    expect(everything).toContain("scram-it");
    for (const secret of [PASSWORD, keyLine, "wrong-secret-xyz", "p-nokey"]) expect(everything).not.toContain(secret);
  });
});
