// Payload masking: the configured policies (MASKING_POLICIES), read-only, for admins. They are set
// in configuration, not here, so a policy cannot be loosened from the browser.
import { describePolicies } from "~/server/services/masking/masking";
import { adminProcedure, createTRPCRouter } from "../trpc";

export const maskingRouter = createTRPCRouter({
  policies: adminProcedure.query(() => describePolicies()),
});
