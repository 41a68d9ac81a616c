// The catalog: the only module that talks to PostgreSQL through Prisma.
import "server-only";

export * from "./types";
export * from "./clusters";
export { ensureUser, findUserByEmail, type UserRow } from "./users";
export * from "./auth";
export * from "./role-bindings";
export { writeAudit, listAudit, type AuditRecord } from "./audit";
export { recordWorkerHeartbeat, latestWorkerHeartbeat, pruneWorkerHeartbeats, countLiveWorkers, forgetWorkerHeartbeat, type WorkerIdentity } from "./heartbeats";
export * from "./cluster-sampler-status";
export { pingDatabase } from "./ping";
export { disconnectDb, inTransaction, type PrismaTx } from "./db";
export { isDatabaseUnavailable, translateDatabaseError } from "./unavailable";
export * from "./lag-history";
export { notify, listen, stopListening, notificationBatches, whenListening, CHANNELS, type Channel } from "./notifications";
export { advisoryLease, type Lease } from "./leases";
export * from "./alerts";
export * from "./schemas";
export * from "./schema-references";
export * from "./registry-lifecycle";
export { recordProducerObservations, readObservedProducers, OBSERVED_PRODUCER_RETENTION_MS, type ProducerObservation, type ObservedProducerRow } from "./observed-producers";
export { readDeclaredSystem, type DeclaredSystemRows } from "./declared-system";
export { readDeadLetterOrigins, type DeadLetterOriginRow } from "./dead-letter-origins";
export * from "./jobs";
export { WEBHOOK_QUEUE, WEBHOOK_RETRY, enqueueWebhook, workWebhookDeliveries, type WebhookJob, type WebhookRetry, type WebhookAttempt } from "./webhook-queue";
export * from "./dlq";
export * from "./dlq-index";
export * from "./dlq-declarations";
