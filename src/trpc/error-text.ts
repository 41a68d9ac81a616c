import type { TRPCClientErrorLike } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";

/**
 * What a form says when Signalbox's server gave no answer of its own: the connection failed, or
 * something in front of it (a proxy, a load balancer) answered while it was down or restarting.
 * Actions that start jobs carry an idempotency key, so submitting the same form again is safe.
 */
export const NO_ANSWER = "Signalbox's server did not answer (it may be restarting). Try again in a moment.";

/** The server's words: validation issues by field, else the error message (e.g. a missing role). */
export function errorText(error: Pick<TRPCClientErrorLike<AppRouter>, "message" | "data" | "shape">): string {
  // Every answer from the server carries an error shape; a transport failure (a 502 page that is not
  // JSON, a dropped connection) has none, and its message would be a JSON parser's complaint.
  if (!error.shape && !error.data) return NO_ANSWER;
  const issues = error.data?.zodError;
  if (issues?.length) return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join(" · ");
  return error.message;
}
