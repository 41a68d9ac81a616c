// The one tRPC setup file: context, error formatting and the role-based procedures routers use.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { getEnv } from "~/env";
import type { Actor, Role } from "~/server/catalog";
import { isAppError } from "~/server/errors";
import { hasRole } from "~/server/services/auth/roles";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";

/** Until login exists, every request acts as the user named in configuration (SIGNALBOX_USER_*). */
export function actorFromConfig(): Actor {
  const env = getEnv();
  return { email: env.SIGNALBOX_USER_EMAIL, name: env.SIGNALBOX_USER_NAME, role: env.SIGNALBOX_USER_ROLE };
}

export async function createTRPCContext(opts: { headers: Headers; actor?: Actor }) {
  const env = getEnv();
  return {
    env,
    actor: opts.actor ?? actorFromConfig(),
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

function requireRole(role: Role) {
  return t.middleware(({ ctx, next }) => {
    if (!hasRole(ctx.actor.role, role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This action needs the ${role} role; ${ctx.actor.email} has the ${ctx.actor.role} role.` });
    }
    return next({ ctx });
  });
}

export const viewerProcedure = baseProcedure.use(requireRole("viewer"));
export const operatorProcedure = baseProcedure.use(requireRole("operator"));
export const architectProcedure = baseProcedure.use(requireRole("architect"));
export const supportProcedure = baseProcedure.use(requireRole("support"));
export const adminProcedure = baseProcedure.use(requireRole("admin"));
