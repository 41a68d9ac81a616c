// The job system's persistence: the job rows with each job's advisory lock (rows.ts) and the pg-boss
// queue that delivers "run job N" to one worker (queue.ts). The rules over them (creating, pausing,
// cancelling, a job's view and progress, the handler interface) are in services/jobs/; the runner
// that takes deliveries and runs handlers is the worker's (src/worker/jobs/).
import "server-only";

export * from "./rows";
export { JOB_QUEUE, getJobQueue, sendDelivery, deliveryState, cancelDelivery, workDeliveries, stopJobQueue, type JobDelivery, type DeliveryState } from "./queue";
