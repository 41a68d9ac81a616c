// Translates kafkajs failures into AppError, so callers and the UI get a readable reason.
import "server-only";
import { AppError } from "../errors";

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|Connection error|Closed connection|connect ETIMEDOUT|This server does not host|Broker not connected|There is no leader/i;

export function translateKafkaError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const chain = collectMessages(error).join(" | ");
  const type = (error as { type?: string } | undefined)?.type;

  if (/SASL|Authentication|authenticat/i.test(chain) || type === "SASL_AUTHENTICATION_FAILED") {
    return new AppError("BROKER_AUTH_FAILED", `Kafka refused the credentials while trying to ${action}.`, { cause: error, internalMessage: chain });
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
