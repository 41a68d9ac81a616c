// Transactional outboxes: viewers see the outbox tables whose relays publish to this cluster.
// Read-only; what is watched is configuration (OUTBOX_MONITORS).
import { assertMayActOn } from "~/server/services/auth/authorize";
import { outboxOverview } from "~/server/services/outbox/outbox";
import { outboxHistoryInput } from "~/server/services/outbox/outbox.types";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const outboxRouter = createTRPCRouter({
  overview: viewerProcedure.input(outboxHistoryInput).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return outboxOverview(ctx.env, ctx.cluster.name, input.minutes);
  }),
});
