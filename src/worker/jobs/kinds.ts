// Every kind of durable job this worker runs.
import type { JobHandler } from "~/server/services/jobs/types";
import { redriveJobHandler } from "~/server/services/dlq/redrive-job";
import { replayJobHandler } from "~/server/services/replay/replay-job";

export const JOB_HANDLERS: JobHandler<never>[] = [replayJobHandler as unknown as JobHandler<never>, redriveJobHandler as unknown as JobHandler<never>];
