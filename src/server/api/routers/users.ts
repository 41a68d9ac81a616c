import { z } from "zod";
import { ROLES } from "~/server/catalog/types";
import { changeUserRole } from "~/server/services/users/change-role";
import { listUsers } from "~/server/catalog";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

export const usersRouter = createTRPCRouter({
  me: viewerProcedure.query(({ ctx }) => ctx.actor),
  list: viewerProcedure.query(() => listUsers()),
  setRole: adminProcedure
    .input(z.object({ email: z.email(), role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => changeUserRole(ctx.actor, input)),
});
