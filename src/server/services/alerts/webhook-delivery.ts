// One webhook delivery: check the target, POST the JSON, judge the answer. No redirects (a 3xx
// could point anywhere, past the address policy), a deadline over the whole call (DNS included),
// and the response body is never read: only the status line matters.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { parseWebhookUrl, resolveWebhookTarget, systemResolver, WebhookRefused, type CheckedAddress, type Resolver, type WebhookPolicy } from "./webhook-policy";

export const WEBHOOK_TIMEOUT_MS = 5000;

export interface DeliveryOptions {
  policy: WebhookPolicy;
  timeoutMs?: number;
  resolve?: Resolver;
}

/**
 * `reason` is for operators only: it can tell what answers where inside the network.
 * `retry` says whether trying again later could succeed.
 */
export type DeliveryOutcome = { ok: true; reason: string } | { ok: false; reason: string; retry: boolean };

/** POSTs `body` to `rawUrl` under the policy; never throws. */
export async function deliverWebhook(rawUrl: string, body: unknown, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const url = parseWebhookUrl(rawUrl);
    const target = await untilAborted(resolveWebhookTarget(url, options.policy, options.resolve ?? systemResolver), deadline);
    const status = await post(url, target, JSON.stringify(body), deadline);
    return judgeStatus(status);
  } catch (error) {
    if (error instanceof WebhookRefused) return { ok: false, reason: error.reason, retry: false };
    if (deadline.aborted) return { ok: false, reason: `timeout after ${timeoutMs} ms`, retry: true };
    const code = (error as { code?: unknown }).code;
    return { ok: false, reason: typeof code === "string" ? code : error instanceof Error ? error.name : "error", retry: true };
  }
}

export function judgeStatus(status: number): DeliveryOutcome {
  const reason = `HTTP ${status}`;
  if (status >= 200 && status < 300) return { ok: true, reason };
  if (status >= 300 && status < 400) return { ok: false, reason: `redirect refused (${reason})`, retry: false };
  // The receiver asked us to come back later, or had a problem of its own.
  if (status === 408 || status === 429 || status >= 500) return { ok: false, reason, retry: true };
  return { ok: false, reason, retry: false };
}

/** A lookup that answers every question with the checked address, so the socket goes nowhere else. */
function pinnedLookup(target: CheckedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node 20 asks with all:true when it tries several families (autoSelectFamily).
    if (options.all) (callback as unknown as (e: null, a: CheckedAddress[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}

function post(url: URL, target: CheckedAddress, payload: string, signal: AbortSignal): Promise<number> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = transport.request(
      {
        protocol: url.protocol,
        // The name stays the URL's host (Host header, TLS name check); only the address is pinned.
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "user-agent": "Signalbox-Alerts" },
        lookup: pinnedLookup(target),
        // A fresh connection each time: a pooled socket could have been opened to another address.
        agent: false,
        signal,
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        // The body is not ours to read: drop the connection rather than drain an arbitrary stream.
        response.destroy();
        request.destroy();
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
