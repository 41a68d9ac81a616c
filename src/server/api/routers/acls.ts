// ACLs: operators read them (they say who may do what); only admins create and delete them.
import { assertMayActOn } from "~/server/services/auth/authorize";
import { createAclBinding, deleteAclBinding, explainAcl, listAcls } from "~/server/services/acls/acls";
import { aclBindingSchema, aclFilterSchema, aclQuestionSchema, existingAclSchema } from "~/server/services/acls/acls.types";
import { adminProcedure, createTRPCRouter, operatorProcedure } from "../trpc";

export const aclsRouter = createTRPCRouter({
  list: operatorProcedure.input(aclFilterSchema).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name });
    return listAcls(ctx.cluster, input);
  }),
  explain: operatorProcedure.input(aclQuestionSchema).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name });
    return explainAcl(ctx.cluster, input);
  }),
  create: adminProcedure.input(aclBindingSchema).mutation(({ ctx, input }) => createAclBinding(ctx.actor, ctx.cluster, input)),
  delete: adminProcedure.input(existingAclSchema).mutation(({ ctx, input }) => deleteAclBinding(ctx.actor, ctx.cluster, input)),
});
