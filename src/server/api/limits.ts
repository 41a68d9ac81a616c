// Per-user limits for routers, kept apart from trpc.ts: a rate-limit middleware for expensive
// procedures and a concurrency slot for streaming scans. The caller is keyed by `ctx.actor.email`,
// a plain string, so the same code serves when the actor comes from a signed-in session.
import { initTRPC } from "@trpc/server";
import { AppError } from "~/server/errors";
import { scanSlots } from "~/server/services/limits/concurrency";
import { assertExpensiveCallAllowed } from "~/server/services/limits/rate-limit";
import { appStream } from "./stream";

/** What the limits need of a context: who is calling. Null (nobody signed in) is refused. */
interface LimitedContext {
  actor: { email: string } | null;
}

// A standalone builder for middleware only (no procedures, no transformer): middleware made here
// can be `.use()`d on the procedures of trpc.ts, whose context has (at least) this shape.
const t = initTRPC.context<LimitedContext>().create();

function userKey(ctx: LimitedContext): string {
  // The role procedures refuse anonymous calls first; this only guards against a misuse.
  if (!ctx.actor) throw new AppError("UNAUTHORIZED", "Sign in first.");
  return ctx.actor.email;
}

/** Spends one of the caller's expensive calls (RATE_LIMIT_EXPENSIVE_PER_MINUTE), naming `procedure` when it refuses. */
export function expensive(procedure: string) {
  return t.middleware(({ ctx, next }) => {
    assertExpensiveCallAllowed(userKey(ctx), procedure);
    return next();
  });
}

/**
 * A scan, trace, dry run or tail as a subscription: holds one of the caller's concurrent-scan slots
 * (MAX_CONCURRENT_SCANS_PER_USER) while it streams, released when it ends, fails or is cancelled, and
 * turns AppErrors into readable tRPC errors.
 */
export function limitedScan<T>(ctx: LimitedContext, source: AsyncGenerator<T>): AsyncGenerator<T> {
  return appStream(holdingSlot(ctx, source));
}

// A generator, so that a refusal (no slot, no actor) is thrown while streaming, inside appStream.
async function* holdingSlot<T>(ctx: LimitedContext, source: AsyncGenerator<T>): AsyncGenerator<T> {
  yield* scanSlots.stream(userKey(ctx), source);
}
