// Whether a failure means "PostgreSQL is not there right now" (restarting, crashed, unreachable)
// rather than "this statement is wrong". A job interrupted by the first resumes from its checkpoint
// once the database answers again; only the second may fail it.
import "server-only";
import { AppError } from "../errors";

/** The errors' shapes as seen here: pg's, the pg driver adapter's (inside Prisma's), Node's sockets. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);
// 57P01 admin_shutdown (pg_ctl stop -m fast), 57P02 crash_shutdown (-m immediate), 57P03 cannot_connect_now (starting up).
const POSTGRES_CODES = new Set(["57P01", "57P02", "57P03"]);
const MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|terminating connection due to|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i;

function* chain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!error || typeof error !== "object" || depth > 6) return;
  const e = error as Record<string, unknown>;
  yield e;
  yield* chain(e.cause, depth + 1);
  yield* chain((e.meta as Record<string, unknown> | undefined)?.driverAdapterError, depth + 1);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof AppError) return error.code === "DATABASE_UNAVAILABLE";
  for (const e of chain(error)) {
    const code = typeof e.code === "string" ? e.code : "";
    if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || POSTGRES_CODES.has(code) || code.startsWith("08")) return true;
    if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
    if (e.kind === "postgres" && typeof e.code === "string" && POSTGRES_CODES.has(e.code)) return true;
    if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** `error` as DATABASE_UNAVAILABLE when the database was away; anything else unchanged. */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AppError || !isDatabaseUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message.trim().split("\n").at(-1) : String(error);
  return new AppError("DATABASE_UNAVAILABLE", `PostgreSQL was unreachable (${reason}).`, { cause: error });
}
