// Which addresses an alert webhook may reach. A webhook URL is typed in by an operator, and the
// worker calls it from inside the network, so without this an operator (or a stolen operator
// session) could make Signalbox read cloud metadata or probe internal services (SSRF).
//
// Deny by default: only public unicast addresses pass, plus whatever WEBHOOK_ALLOWED_HOSTS names.
// Classification is ipaddr.js's (IANA special-purpose registries), not hand-written patterns, and
// IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are judged as the IPv4 address they carry.
import { lookup as dnsLookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

export interface WebhookPolicy {
  /** Host names (lower case) an operator allowed explicitly, whatever they resolve to. */
  hosts: ReadonlySet<string>;
  /** Address ranges an operator allowed explicitly. */
  ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export const ALLOWLIST_VARIABLE = "WEBHOOK_ALLOWED_HOSTS";

/** A resolved address the caller may connect to (and must connect to: see deliverWebhook). */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address of the name. */
export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A webhook target the policy refuses; `reason` names the address and why, never the URL's path or query. */
export class WebhookRefused extends Error {
  /** `url` when the URL itself is unusable; `address` when the policy refuses where it leads. */
  constructor(
    readonly reason: string,
    readonly kind: "url" | "address" = "address",
  ) {
    super(reason);
    this.name = "WebhookRefused";
  }
}

/** Builds the policy from the allowlist's entries: host names, IP addresses or CIDR ranges. */
export function webhookPolicy(allowed: readonly string[]): WebhookPolicy {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const raw of allowed) {
    const entry = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
    if (!entry) continue;
    if (entry.includes("/")) ranges.push(normalizeRange(ipaddr.parseCIDR(entry)));
    else if (ipaddr.isValid(entry)) {
      const ip = ipaddr.process(entry);
      ranges.push([ip, ip.kind() === "ipv4" ? 32 : 128]);
    } else hosts.add(entry.replace(/\.$/, ""));
  }
  return { hosts, ranges };
}

// An allowlisted ::ffff:10.0.0.0/104 must match 10.0.0.1, which process() turns into IPv4.
function normalizeRange([ip, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) return [(ip as ipaddr.IPv6).toIPv4Address(), bits - 96];
  return [ip, bits];
}

const RANGE_WORDS: Record<string, string> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "shared address space (CGNAT)",
  private: "private",
  uniqueLocal: "private (unique local)",
  reserved: "reserved",
};

/** Cloud instance-metadata services (AWS/GCP/Azure/OpenStack, and AWS's IPv6 one). */
const METADATA_ADDRESSES = new Set(["169.254.169.254", "fd00:ec2::254"]);

/** What the policy holds against `address` (e.g. "private"), or null when it may be called. */
function classify(address: string, policy: WebhookPolicy): { address: string; is: string } | null {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  // Whatever cannot be classified cannot be called.
  if (!ipaddr.isValid(bare)) return { address: bare, is: "not an IP address" };
  const ip = ipaddr.process(bare);
  const shown = ip.toString();
  if (policy.ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return null;
  if (METADATA_ADDRESSES.has(shown)) return { address: shown, is: "a cloud metadata service" };
  const range = ip.range();
  if (range === "unicast") return null;
  return { address: shown, is: RANGE_WORDS[range] ?? `not a public unicast address (${range})` };
}

/** Why the policy refuses `address` ("address 10.0.0.5 is private"), or null when it may be called. */
export function refusalFor(address: string, policy: WebhookPolicy): string | null {
  const found = classify(address, policy);
  return found && `address ${found.address} is ${found.is}`;
}

function refuseResolved(host: string, addresses: readonly { address: string }[], policy: WebhookPolicy): void {
  for (const { address } of addresses) {
    const found = classify(address, policy);
    if (found) throw new WebhookRefused(`${host} resolves to ${found.address}, which is ${found.is}`);
  }
}

/** The parts of a webhook URL the policy looks at; refuses what is not http(s). */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookRefused("the webhook is not a URL", "url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new WebhookRefused("the webhook must be an http or https URL", "url");
  if (url.username || url.password) throw new WebhookRefused("the webhook URL must not carry a user name or password; put a token in its path or query", "url");
  return url;
}

/** What may be shown of a webhook URL: its origin. Its path and query may hold a token. */
export function webhookOrigin(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    return "(invalid URL)";
  }
}

/** The URL's host without IPv6 brackets or a trailing dot, lower case (URL already lower-cases). */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

/** `localhost` and `*.localhost` always mean this machine (RFC 6761), whatever DNS says. */
function isLocalhostName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost");
}

const SAVE_LOOKUP_TIMEOUT_MS = 3000;

/**
 * The check when a rule is saved: refuses a literal address or a localhost name the policy refuses,
 * and a name that resolves to one. A name that does not resolve now is accepted: it may resolve
 * later, and every delivery checks again (resolveWebhookTarget).
 */
export async function checkWebhookOnSave(raw: string, policy: WebhookPolicy, resolve: Resolver = systemResolver): Promise<void> {
  const url = parseWebhookUrl(raw);
  const host = bareHost(url);
  if (policy.hosts.has(host)) return;
  if (ipaddr.isValid(host)) {
    const refused = refusalFor(host, policy);
    if (refused) throw new WebhookRefused(refused);
    return;
  }
  if (isLocalhostName(host)) {
    const found = classify("127.0.0.1", policy);
    if (found) throw new WebhookRefused(`${host} is ${found.is} (${found.address})`);
    return;
  }
  let addresses: { address: string }[];
  let timer: NodeJS.Timeout | undefined;
  try {
    // A resolver that does not answer must not hold up saving the rule.
    const giveUp = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("DNS timeout")), SAVE_LOOKUP_TIMEOUT_MS)));
    addresses = await Promise.race([resolve(host), giveUp]);
  } catch {
    return;
  } finally {
    clearTimeout(timer);
  }
  refuseResolved(host, addresses, policy);
}

/**
 * The check before each delivery: resolves the host, refuses it when ANY of its addresses is
 * refused (so a name cannot mix a public and an internal address and hope for the latter), and
 * returns the one address the connection must use. Connecting to exactly this address, rather than
 * resolving again, is what makes DNS rebinding between check and connect impossible.
 */
export async function resolveWebhookTarget(url: URL, policy: WebhookPolicy, resolve: Resolver = systemResolver): Promise<CheckedAddress> {
  const host = bareHost(url);
  if (ipaddr.isValid(host)) {
    const refused = refusalFor(host, policy);
    if (refused) throw new WebhookRefused(refused);
    const ip = ipaddr.parse(host);
    return { address: host, family: ip.kind() === "ipv4" ? 4 : 6 };
  }
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new WebhookRefused(`${host} has no address`);
  if (!policy.hosts.has(host)) refuseResolved(host, addresses, policy);
  const [first] = addresses;
  return { address: first!.address, family: first!.family === 6 ? 6 : 4 };
}
