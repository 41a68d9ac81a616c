import { z } from "zod";
import { ROLES } from "~/server/catalog/types";
import { signOutEverywhere } from "~/server/services/auth/sessions";
import { createToken, listTokens, revokeToken, tokenInput } from "~/server/services/auth/tokens";
import { addRoleBinding, listRoleBindings, removeRoleBinding, roleBindingInput } from "~/server/services/users/role-bindings";
import { changeUserRole, createLocalAccount, listAccounts, newAccountInput, resetAccountPassword, setAccountDisabled } from "~/server/services/users/accounts";
import { adminProcedure, authenticatedProcedure, createTRPCRouter } from "../trpc";

const email = z.email().max(254);

export const usersRouter = createTRPCRouter({
  /** Who am I: any signed-in person or token, with or without a role. */
  me: authenticatedProcedure.query(({ ctx }) => {
    const { email, name, role, kind, method, tokenName } = ctx.actor;
    return { email, name, role, kind: kind ?? "user", method: method ?? null, tokenName: tokenName ?? null, authMode: ctx.env.SIGNALBOX_AUTH };
  }),
  signOutEverywhere: authenticatedProcedure.mutation(async ({ ctx }) => ({ sessionsEnded: await signOutEverywhere(ctx.actor) })),
  list: adminProcedure.query(() => listAccounts()),
  create: adminProcedure.input(newAccountInput).mutation(({ ctx, input }) => createLocalAccount(ctx.actor, input)),
  setRole: adminProcedure.input(z.object({ email, role: z.enum(ROLES).nullable() })).mutation(({ ctx, input }) => changeUserRole(ctx.actor, input)),
  setDisabled: adminProcedure.input(z.object({ email, disabled: z.boolean() })).mutation(({ ctx, input }) => setAccountDisabled(ctx.actor, input)),
  resetPassword: adminProcedure.input(z.object({ email, password: z.string().max(200) })).mutation(({ ctx, input }) => resetAccountPassword(ctx.actor, input)),
});

export const tokensRouter = createTRPCRouter({
  list: adminProcedure.query(() => listTokens()),
  create: adminProcedure.input(tokenInput).mutation(({ ctx, input }) => createToken(ctx.actor, input)),
  revoke: adminProcedure.input(z.object({ name: z.string().min(1).max(64) })).mutation(({ ctx, input }) => revokeToken(ctx.actor, input.name)),
});

export const bindingsRouter = createTRPCRouter({
  list: adminProcedure.query(() => listRoleBindings()),
  create: adminProcedure.input(roleBindingInput).mutation(({ ctx, input }) => addRoleBinding(ctx.actor, input)),
  remove: adminProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(({ ctx, input }) => removeRoleBinding(ctx.actor, input.id)),
});
