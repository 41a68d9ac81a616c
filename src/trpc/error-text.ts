import type { TRPCClientErrorLike } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";

/** The server's words: validation issues by field, else the error message (e.g. a missing role). */
export function errorText(error: TRPCClientErrorLike<AppRouter>): string {
  const issues = error.data?.zodError;
  if (issues?.length) return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join(" · ");
  return error.message;
}
