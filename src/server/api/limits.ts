// Per-user limits for routers, kept apart from trpc.ts: a rate-limit middleware for expensive
// procedures and a concurrency slot for streaming scans. The caller is keyed by `ctx.actor.email`,
// a plain string, so the same code serves when the actor comes from a signed-in session.
import { initTRPC } from "@trpc/server";
import { scanSlots } from "~/server/services/limits/concurrency";
import { assertExpensiveCallAllowed } from "~/server/services/limits/rate-limit";
import { appStream } from "./stream";
import type { TRPCContext } from "./trpc";

// A standalone builder for middleware only (no procedures, no transformer): middleware made here
// can be `.use()`d on the procedures of trpc.ts because the context type is the same.
const t = initTRPC.context<TRPCContext>().create();

/** Spends one of the caller's expensive calls (RATE_LIMIT_EXPENSIVE_PER_MINUTE), naming `procedure` when it refuses. */
export function expensive(procedure: string) {
  return t.middleware(({ ctx, next }) => {
    assertExpensiveCallAllowed(ctx.actor.email, procedure);
    return next();
  });
}

/**
 * A scan, trace, dry run or tail as a subscription: holds one of the caller's concurrent-scan slots
 * (MAX_CONCURRENT_SCANS_PER_USER) while it streams, released when it ends, fails or is cancelled, and
 * turns AppErrors into readable tRPC errors.
 */
export function limitedScan<T>(ctx: Pick<TRPCContext, "actor">, source: AsyncGenerator<T>): AsyncGenerator<T> {
  return appStream(scanSlots.stream(ctx.actor.email, source));
}
