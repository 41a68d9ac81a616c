import { auditRouter } from "./routers/audit";
import { clustersRouter } from "./routers/clusters";
import { alertsRouter, lagRouter } from "./routers/lag";
import { overviewRouter } from "./routers/overview";
import { schemasRouter } from "./routers/schemas";
import { usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  overview: overviewRouter,
  clusters: clustersRouter,
  users: usersRouter,
  audit: auditRouter,
  lag: lagRouter,
  alerts: alertsRouter,
  schemas: schemasRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
