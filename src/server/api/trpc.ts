// The one tRPC setup file: context, error formatting and the role-based procedures routers use.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { getEnv } from "~/env";
import type { Actor, Role } from "~/server/catalog";
import { isAppError } from "~/server/errors";
import { grantsOf, mayAct, mayActEverywhere, mayActOn } from "~/server/services/auth/authorize";
import { CLUSTER_HEADER } from "~/lib/cluster-paths";
import { decodeRouteParam } from "~/lib/route-param";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { clusterConnectionByName } from "~/server/services/clusters/clusters";
import { actorFromHeaders } from "~/server/http/request-actor";

/**
 * The context of every call. The actor comes from the request's session cookie or token and
 * nowhere else (tests and server-side callers pass one explicitly); null means anonymous.
 * The cluster is the one the call names: `cluster` (server-side callers), the x-signalbox-cluster
 * header (the browser's queries and mutations, from the page's /c/<cluster>/ URL) or the
 * subscription's connection parameters (server-sent events cannot carry headers); the default
 * cluster when none is named. A name Signalbox does not know is refused, naming it.
 */
export async function createTRPCContext(opts: { headers: Headers; actor?: Actor | null; cluster?: string | null; connectionParams?: Record<string, string> | null }) {
  const env = getEnv();
  const header = opts.headers.get(CLUSTER_HEADER);
  const requested = opts.cluster ?? (header ? decodeRouteParam(header) : null) ?? opts.connectionParams?.cluster ?? null;
  const actor = opts.actor !== undefined ? opts.actor : await actorFromHeaders(opts.headers, env);
  // Looked up only for a signed-in caller: an anonymous one must not learn which names exist.
  const named = requested && actor ? await clusterConnectionByName(env, requested) : null;
  return {
    env,
    actor,
    cluster: named ?? clusterFromEnv(env),
    /** A cluster the call named that Signalbox does not know (or any name, for an anonymous call): refused once signed in. */
    unknownCluster: requested && !named ? requested : null,
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

function refuseUnknownCluster(name: string | null): void {
  if (name) throw new TRPCError({ code: "NOT_FOUND", message: `No cluster named "${name.slice(0, 100)}": Signalbox knows the clusters in its configuration and in Settings.` });
}

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first: this needs a session or an API token." });
  refuseUnknownCluster(ctx.unknownCluster);
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** A signed-in person or a token, whatever its role (e.g. "who am I", "sign out everywhere"). */
export const authenticatedProcedure = baseProcedure.use(signedIn);

/**
 * `onCluster`: the procedure reads or acts on the call's cluster, so the role must be held there (a
 * binding limited to clusters "prod-*" does not reach "dev"). Global procedures (the schema
 * catalog, the audit log, Settings, the live stream, the clusters home) need the role anywhere.
 */
function requireRole(role: Role, onCluster: boolean) {
  return t.middleware(({ ctx, next }) => {
    const actor = ctx.actor;
    if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first: this needs a session or an API token." });
    refuseUnknownCluster(ctx.unknownCluster);
    if (grantsOf(actor).length === 0) throw new TRPCError({ code: "FORBIDDEN", message: `${actor.email} has no role in Signalbox yet; ask an admin for one.` });
    // Scoped grants count here; procedures that name a resource check its scope (assertMayActOn).
    if (!mayAct(actor, role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This action needs the ${role} role; ${actor.email} has the ${actor.role ?? "no"} role.` });
    }
    if (onCluster && !mayActOn(actor, role, { cluster: ctx.cluster.name })) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This action on cluster ${ctx.cluster.name} needs the ${role} role there; ${actor.email} does not have it on that cluster.` });
    }
    return next({ ctx: { ...ctx, actor } });
  });
}

export const viewerProcedure = baseProcedure.use(requireRole("viewer", true));
export const operatorProcedure = baseProcedure.use(requireRole("operator", true));
export const architectProcedure = baseProcedure.use(requireRole("architect", true));
export const supportProcedure = baseProcedure.use(requireRole("support", true));
/** Procedures on no one cluster (see requireRole): the role anywhere is enough. */
export const globalViewerProcedure = baseProcedure.use(requireRole("viewer", false));
export const globalArchitectProcedure = baseProcedure.use(requireRole("architect", false));
// Administration acts on everything (users, tokens, bindings): a scoped admin binding is not enough.
const requireAdminEverywhere = t.middleware(({ ctx, next }) => {
  const actor = ctx.actor;
  if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first: this needs a session or an API token." });
  if (!mayActEverywhere(actor, "admin")) throw new TRPCError({ code: "FORBIDDEN", message: `This action needs the admin role everywhere; ${actor.email} has it only for some resources.` });
  return next({ ctx: { ...ctx, actor } });
});
export const adminProcedure = baseProcedure.use(requireRole("admin", false)).use(requireAdminEverywhere);
