import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createLogger } from "~/lib/logger";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";

export const dynamic = "force-dynamic";

const log = createLogger("api");

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers }),
    onError: ({ path, error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") log.error("tRPC request failed", { path, error: error.message });
    },
  });

export { handler as GET, handler as POST };
