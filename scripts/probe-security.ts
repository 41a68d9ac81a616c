// `npm run probe:security -- <url> <admin-token>`: sends the hostile and anonymous requests of
// issues 13 and 14 to a running Signalbox and prints what each answered, and how long /api/health
// took to answer right afterwards. Only for a server you run yourself (e.g. `npm run demo`).
import http from "node:http";

const [base = "http://127.0.0.1:3000", token = process.env.SIGNALBOX_TOKEN ?? ""] = process.argv.slice(2);
if (!token) {
  console.error("usage: npm run --silent probe:security -- <url> <admin API token secret>   (create one: npm run --silent token -- create --name probe --role admin)");
  process.exit(2);
}
const url = new URL(base);

function send(method: string, path: string, headers: Record<string, string> = {}, chunks: Buffer[] = []): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

async function healthMs(): Promise<string> {
  const t0 = performance.now();
  const answer = await Promise.race([send("GET", "/api/health"), new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
  return answer ? `${Math.round(performance.now() - t0)} ms (${answer.status})` : "no answer in 5 s";
}

const json = (value: unknown) => [Buffer.from(JSON.stringify(value))];
const bearer = { authorization: `Bearer ${token}` };
const run = Date.now().toString(36);
const subject = `ProbeRedos${run}`;
const registryJson = { "content-type": "application/vnd.schemaregistry.v1+json" };

const probes: [string, () => Promise<{ status: number; body: string }>][] = [
  ["anonymous GET /metrics", () => send("GET", "/metrics")],
  ["anonymous GET /api/topology.json", () => send("GET", "/api/topology.json")],
  ["anonymous GET /api/health", () => send("GET", "/api/health")],
  ["anonymous POST registry, Origin evil.example", () => send("POST", `/api/schema-registry/subjects/${subject}/versions`, { ...registryJson, origin: "http://evil.example" }, json({ schema: "{}" }))],
  ["anonymous ReDoS compatibility check", () => send("POST", `/api/schema-registry/compatibility/subjects/${subject}/versions/latest`, registryJson, json({ schema: JSON.stringify({ patternProperties: { "^(a+)+$": {} } }) }))],
  ["(setup) register latest with 48 a's + '!'", () => send("POST", `/api/schema-registry/subjects/${subject}/versions`, { ...registryJson, ...bearer }, json({ schema: JSON.stringify({ type: "object", title: subject, properties: { ["a".repeat(48) + "!"]: { type: "string" } } }) }))],
  ["ReDoS compatibility check with a token", () => send("POST", `/api/schema-registry/compatibility/subjects/${subject}/versions/latest`, { ...registryJson, ...bearer }, json({ schema: JSON.stringify({ type: "object", title: subject, patternProperties: { "^(a+)+$": { type: "string" } } }) }))],
  ["cross-site text/plain form POST to the registry", () => send("POST", `/api/schema-registry/subjects/${subject}/versions`, { "content-type": "text/plain", origin: "http://evil.example", "sec-fetch-site": "cross-site" }, json({ schema: "{}" }))],
  ["text/plain POST with a token (no Origin)", () => send("POST", `/api/schema-registry/subjects/${subject}/versions`, { "content-type": "text/plain", ...bearer }, json({ schema: "{}" }))],
  ["Host: rebind.attacker.example", () => send("GET", "/api/health", { host: "rebind.attacker.example" })],
  ["alert rule webhook to 169.254.169.254", () => send("POST", "/api/trpc/alerts.createRule", { "content-type": "application/json", ...bearer }, json({ json: { name: "probe", kind: "LAG_MESSAGES", groupPattern: "*", threshold: 1, forMinutes: 0, webhookUrl: "http://169.254.169.254/latest/meta-data/", enabled: false } }))],
  ["tRPC POST with an 8 MiB body", () => send("POST", "/api/trpc/schemas.check", { "content-type": "application/json", ...bearer }, [Buffer.alloc(8 * 1024 * 1024, 0x61)])],
  ["tRPC GET batch of 300 calls", () => send("GET", `/api/trpc/${Array.from({ length: 300 }, () => "users.me").join(",")}?batch=1&input={}`, bearer)],
  ["registry chunked 10 MiB body", () => send("POST", `/api/schema-registry/subjects/${subject}/versions`, { ...registryJson, ...bearer, "transfer-encoding": "chunked" }, Array.from({ length: 10 }, () => Buffer.alloc(1024 * 1024, 0x61)))],
  ["JSON nested 10,000 levels", () => send("POST", `/api/schema-registry/subjects/${subject}/versions`, { ...registryJson, ...bearer }, [Buffer.from("[".repeat(10_000) + "]".repeat(10_000))])],
  ["trace across 1,000 topics", () => send("GET", `/api/trpc/messages.trace?input=${encodeURIComponent(JSON.stringify({ json: { id: "x", from: Date.now() - 60_000, to: Date.now(), topics: Array.from({ length: 1000 }, (_, i) => `t${i}`) } }))}`, bearer)],
];

console.log("| Probe | Answer | /api/health right after |\n|---|---|---|");
for (const [name, probe] of probes) {
  let answer: string;
  try {
    const { status, body } = await probe();
    answer = `${status} ${body.replace(/\s+/g, " ").slice(0, 90)}`;
  } catch (error) {
    answer = `error: ${error instanceof Error ? error.message : String(error)}`;
  }
  console.log(`| ${name} | ${answer.replace(/\|/g, "\\|")} | ${await healthMs()} |`);
}
const page = await fetch(new URL("/sign-in", base), { redirect: "manual" });
console.log(`\nSecurity headers on /sign-in (${page.status}):`);
for (const h of ["content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy"]) console.log(`  ${h}: ${page.headers.get(h)}`);
