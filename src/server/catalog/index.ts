// The catalog: the only module that talks to PostgreSQL through Prisma.
export * from "./types";
export { listClusters, upsertCluster, type ClusterInput } from "./clusters";
export { ensureUser, listUsers, findUserByEmail, setUserRole, type UserRow } from "./users";
export { writeAudit, listAudit, type AuditRecord } from "./audit";
export { recordWorkerHeartbeat, latestWorkerHeartbeat, pruneWorkerHeartbeats, type WorkerIdentity } from "./heartbeats";
export { pingDatabase } from "./ping";
export { disconnectDb } from "./db";
export * from "./lag-history";
export { notify, listen, stopListening, notificationBatches, advisoryLease, CHANNELS, type Channel, type Lease } from "./notifications";
export * from "./alerts";
export * from "./schemas";
export { recordProducerObservations, readObservedProducers, OBSERVED_PRODUCER_RETENTION_MS, type ProducerObservation, type ObservedProducerRow } from "./observed-producers";
export { readDeclaredSystem, type DeclaredSystemRows } from "./declared-system";
export * from "./jobs";
export { JOB_QUEUE, getJobQueue, sendDelivery, deliveryState, cancelDelivery, workDeliveries, stopJobQueue, type JobDelivery, type DeliveryState } from "./job-queue";
export * from "./dlq";
export * from "./dlq-index";
export * from "./dlq-declarations";
