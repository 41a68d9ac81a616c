// Consumer group administration. Reading groups is in the lag router; offsets in group-offsets.
import { assertMayActOn } from "~/server/services/auth/authorize";
import { deleteGroups, deleteGroupsSchema } from "~/server/services/groups/delete-groups";
import { createTRPCRouter, supportProcedure } from "../trpc";

export const groupsRouter = createTRPCRouter({
  delete: supportProcedure.input(deleteGroupsSchema).mutation(({ ctx, input }) => {
    for (const group of input.groupIds) assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, group });
    return deleteGroups(ctx.actor, ctx.cluster, input);
  }),
});
