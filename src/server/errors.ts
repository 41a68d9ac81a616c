import type { z } from "zod";

// One typed application error. `userMessage` is safe to show; `message` may carry internal detail for logs.
export const APP_ERROR_CODES = {
  BAD_REQUEST: { http: 400, trpc: "BAD_REQUEST" },
  UNAUTHORIZED: { http: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { http: 403, trpc: "FORBIDDEN" },
  NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  CONFLICT: { http: 409, trpc: "CONFLICT" },
  /** A per-user limit (rate, concurrent scans, active jobs) refused the request; trying later helps. */
  TOO_MANY_REQUESTS: { http: 429, trpc: "TOO_MANY_REQUESTS" },
  BROKER_UNREACHABLE: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  BROKER_TIMEOUT: { http: 504, trpc: "TIMEOUT" },
  /** The broker answers but is not ready: coordinators still loading after a restart, a leader being elected. */
  BROKER_NOT_READY: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  BROKER_AUTH_FAILED: { http: 502, trpc: "BAD_GATEWAY" },
  BROKER_ERROR: { http: 502, trpc: "BAD_GATEWAY" },
  DATABASE_UNAVAILABLE: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  /** Work only the worker does (e.g. reading a DLQ into its index) was needed, and no worker did it in time. */
  WORKER_UNAVAILABLE: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  IDENTITY_PROVIDER_UNREACHABLE: { http: 502, trpc: "BAD_GATEWAY" },
  INTERNAL: { http: 500, trpc: "INTERNAL_SERVER_ERROR" },
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessage: string;

  constructor(code: AppErrorCode, userMessage: string, options?: { cause?: unknown; internalMessage?: string }) {
    super(options?.internalMessage ?? userMessage, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage;
  }

  get httpStatus(): number {
    return APP_ERROR_CODES[this.code].http;
  }

  get trpcCode() {
    return APP_ERROR_CODES[this.code].trpc;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A message for people, from anything thrown. */
export function describeError(error: unknown): string {
  if (isAppError(error)) return error.userMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Parses `input`, or refuses it with every problem and where it is: "The <what> is not valid: path: message; …". */
export function parseOrExplain<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `The ${what} is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
