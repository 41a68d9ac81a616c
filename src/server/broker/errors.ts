// Translates kafkajs failures into AppError, so callers and the UI get a readable reason.
import "server-only";
import { AppError } from "../errors";

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|Connection error|Closed connection|connect ETIMEDOUT|This server does not host|Broker not connected|There is no leader/i;

/**
 * What a broker answers while it is not ready (kafkajs' names): its group or transaction coordinator
 * still loading after a restart, an earlier transaction still being aborted, a partition without a
 * leader yet. kafkajs retries some of these only on some calls (EndTxn gives up on a coordinator that
 * is loading), so they reach us; retrying a little later succeeds.
 */
const NOT_READY = new Set(["GROUP_LOAD_IN_PROGRESS", "GROUP_COORDINATOR_NOT_AVAILABLE", "NOT_COORDINATOR_FOR_GROUP", "CONCURRENT_TRANSACTIONS", "LEADER_NOT_AVAILABLE", "NOT_LEADER_FOR_PARTITION"]);

export function translateKafkaError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const chain = collectMessages(error).join(" | ");
  const type = (error as { type?: string } | undefined)?.type;
  const notReady = kafkaErrorTypes(error).find((t) => NOT_READY.has(t));

  if (/SASL|Authentication|authenticat/i.test(chain) || type === "SASL_AUTHENTICATION_FAILED") {
    return new AppError("BROKER_AUTH_FAILED", `Kafka refused the credentials while trying to ${action}.`, { cause: error, internalMessage: chain });
  }
  if (notReady) {
    return new AppError("BROKER_NOT_READY", `Kafka is not ready yet (${notReady}) while trying to ${action}: it is still starting up or electing a leader.`, { cause: error, internalMessage: chain });
  }
  if (/timed out|timeout/i.test(chain) && !UNREACHABLE.test(chain)) {
    return new AppError("BROKER_TIMEOUT", `Kafka did not answer in time while trying to ${action}.`, { cause: error, internalMessage: chain });
  }
  if (UNREACHABLE.test(chain) || (error instanceof Error && error.name === "KafkaJSNumberOfRetriesExceeded")) {
    return new AppError("BROKER_UNREACHABLE", `Kafka is unreachable: could not ${action} (${firstReason(chain)}).`, { cause: error, internalMessage: chain });
  }
  if (type === "UNKNOWN_TOPIC_OR_PARTITION") {
    return new AppError("NOT_FOUND", `Topic not found while trying to ${action}.`, { cause: error, internalMessage: chain });
  }
  if (type === "OFFSET_OUT_OF_RANGE") {
    return new AppError("BAD_REQUEST", `The offset is out of range while trying to ${action}: records before the log start were deleted by retention, or the offset is past the end.`, { cause: error, internalMessage: chain });
  }
  if (type === "TOPIC_ALREADY_EXISTS") {
    return new AppError("CONFLICT", `Topic already exists.`, { cause: error, internalMessage: chain });
  }
  return new AppError("BROKER_ERROR", `Kafka returned an error while trying to ${action}: ${message}`, { cause: error, internalMessage: chain });
}

/** The kafkajs error type of `error` and of each error it wraps (a retry or non-retriable error wraps a protocol error). */
export function kafkaErrorTypes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 5) return [];
  const own = (error as { type?: unknown }).type;
  const cause = (error as { originalError?: unknown; cause?: unknown }).originalError ?? (error as { cause?: unknown }).cause;
  return [...(typeof own === "string" ? [own] : []), ...kafkaErrorTypes(cause, depth + 1)];
}

function collectMessages(error: unknown, depth = 0): string[] {
  if (!error || depth > 5) return [];
  const own = error instanceof Error ? [error.message] : [String(error)];
  const cause = (error as { originalError?: unknown; cause?: unknown }).originalError ?? (error as { cause?: unknown }).cause;
  return [...own, ...collectMessages(cause, depth + 1)];
}

function firstReason(chain: string): string {
  // An errno such as ECONNREFUSED says more than kafkajs' generic "Connection error".
  const match = chain.match(/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT/) ?? chain.match(UNREACHABLE);
  return match ? match[0] : chain.split(" | ")[0] ?? "unknown reason";
}
