import { aclsRouter } from "./routers/acls";
import { auditRouter } from "./routers/audit";
import { brokersRouter } from "./routers/brokers";
import { clustersRouter } from "./routers/clusters";
import { connectRouter } from "./routers/connect";
import { flowsRouter } from "./routers/flows";
import { outboxRouter } from "./routers/outbox";
import { alertsRouter } from "./routers/alerts";
import { lagRouter } from "./routers/lag";
import { liveRouter } from "./routers/live";
import { messagesRouter } from "./routers/messages";
import { groupOffsetsRouter } from "./routers/group-offsets";
import { groupsRouter } from "./routers/groups";
import { jobsRouter } from "./routers/jobs";
import { maskingRouter } from "./routers/masking";
import { replayRouter } from "./routers/replay";
import { dlqRouter } from "./routers/dlq";
import { overviewRouter } from "./routers/overview";
import { produceRouter } from "./routers/produce";
import { topologyRouter } from "./routers/topology";
import { topicsRouter } from "./routers/topics";
import { schemasRouter } from "./routers/schemas";
import { bindingsRouter, tokensRouter, usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  overview: overviewRouter,
  clusters: clustersRouter,
  users: usersRouter,
  tokens: tokensRouter,
  bindings: bindingsRouter,
  audit: auditRouter,
  lag: lagRouter,
  live: liveRouter,
  alerts: alertsRouter,
  topology: topologyRouter,
  messages: messagesRouter,
  replay: replayRouter,
  dlq: dlqRouter,
  jobs: jobsRouter,
  groupOffsets: groupOffsetsRouter,
  groups: groupsRouter,
  produce: produceRouter,
  topics: topicsRouter,
  schemas: schemasRouter,
  masking: maskingRouter,
  brokers: brokersRouter,
  acls: aclsRouter,
  connect: connectRouter,
  outbox: outboxRouter,
  flows: flowsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
