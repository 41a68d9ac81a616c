// The one tRPC setup file: context, error formatting and the role-based procedures routers use.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { getEnv } from "~/env";
import type { Actor, Role } from "~/server/catalog";
import { isAppError } from "~/server/errors";
import { grantsOf, mayAct, mayActEverywhere } from "~/server/services/auth/authorize";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { actorFromHeaders } from "~/server/http/request-actor";

/**
 * The context of every call. The actor comes from the request's session cookie or token and
 * nowhere else (tests and server-side callers pass one explicitly); null means anonymous.
 */
export async function createTRPCContext(opts: { headers: Headers; actor?: Actor | null }) {
  const env = getEnv();
  return {
    env,
    actor: opts.actor !== undefined ? opts.actor : await actorFromHeaders(opts.headers, env),
    cluster: clusterFromEnv(env),
    headers: opts.headers,
  };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        appCode: isAppError(cause) ? cause.code : null,
        zodError: cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// Domain code throws AppError; this turns it into the matching tRPC error with the user-facing message.
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.trpcCode, message: cause.userMessage, cause });
  }
  return result;
});

const baseProcedure = t.procedure.use(appErrors);

/** Anyone, signed in or not: only the sign-in flow's own procedures. */
export const publicProcedure = baseProcedure;

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first: this needs a session or an API token." });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** A signed-in person or a token, whatever its role (e.g. "who am I", "sign out everywhere"). */
export const authenticatedProcedure = baseProcedure.use(signedIn);

function requireRole(role: Role) {
  return t.middleware(({ ctx, next }) => {
    const actor = ctx.actor;
    if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first: this needs a session or an API token." });
    if (grantsOf(actor).length === 0) throw new TRPCError({ code: "FORBIDDEN", message: `${actor.email} has no role in Signalbox yet; ask an admin for one.` });
    // Scoped grants count here; procedures that name a resource check its scope (assertMayActOn).
    if (!mayAct(actor, role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This action needs the ${role} role; ${actor.email} has the ${actor.role ?? "no"} role.` });
    }
    return next({ ctx: { ...ctx, actor } });
  });
}

export const viewerProcedure = baseProcedure.use(requireRole("viewer"));
export const operatorProcedure = baseProcedure.use(requireRole("operator"));
export const architectProcedure = baseProcedure.use(requireRole("architect"));
export const supportProcedure = baseProcedure.use(requireRole("support"));
// Administration acts on everything (users, tokens, bindings): a scoped admin binding is not enough.
const requireAdminEverywhere = t.middleware(({ ctx, next }) => {
  const actor = ctx.actor;
  if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first: this needs a session or an API token." });
  if (!mayActEverywhere(actor, "admin")) throw new TRPCError({ code: "FORBIDDEN", message: `This action needs the admin role everywhere; ${actor.email} has it only for some resources.` });
  return next({ ctx: { ...ctx, actor } });
});
export const adminProcedure = baseProcedure.use(requireRole("admin")).use(requireAdminEverywhere);
