// Sending a request kafkajs 2.2.4 has no API for through kafkajs's own broker connection, so TLS,
// SASL and request timeouts are kafkajs's. Used for topic ids (Metadata v10+), log dirs
// (DescribeLogDirs) and broker configuration changes (IncrementalAlterConfigs).
import "server-only";
import { AppError } from "../errors";

/** The part of kafkajs's internal Broker these requests use. */
export interface RawBroker {
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
}

/** The version to use for `apiKey`: the highest both sides speak, or null when they share none. */
export function negotiateVersion(broker: RawBroker, apiKey: number, ours: { min: number; max: number }): number | null {
  const theirs = broker.versions?.[apiKey];
  if (!theirs) return null;
  const version = Math.min(theirs.maxVersion, ours.max);
  return version >= Math.max(theirs.minVersion, ours.min) ? version : null;
}

/**
 * Sends one request. `body` is the encoded request after kafkajs's header v1; a flexible version
 * (header v2) starts it with the header's empty tag section. `parse` gets the response after its
 * correlation id (a flexible response's header tags first).
 */
export async function sendRawRequest<T>(broker: RawBroker, request: { apiKey: number; apiVersion: number; apiName: string; body: Buffer; parse: (payload: Buffer) => T }): Promise<T> {
  const proto = Object.getPrototypeOf(broker) as Record<symbol, unknown>;
  const symbol = Object.getOwnPropertySymbols(proto).find((s) => s.description === "private:Broker:sendRequest");
  if (!symbol) throw new AppError("BROKER_ERROR", `This kafkajs version does not expose its broker's request method; ${request.apiName} cannot be sent.`);
  const send = (proto[symbol] as (protocolRequest: object) => Promise<T>).bind(broker);
  return send({
    request: { apiKey: request.apiKey, apiVersion: request.apiVersion, apiName: request.apiName, encode: async () => asEncoder(request.body) },
    response: { decode: async (payload: Buffer) => payload, parse: async (payload: Buffer) => request.parse(payload) },
  });
}

// kafkajs's request framing takes the body as one of its Encoders; it only reads `buf` and `buffer`.
function asEncoder(body: Buffer): object {
  return { buf: body, buffer: body, size: () => body.length };
}
