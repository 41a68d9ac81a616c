// Every kind of durable job this worker runs. DLQ redrive adds its handler here.
import type { JobHandler } from "~/server/services/jobs/types";
import { replayJobHandler } from "~/server/services/replay/replay-job";

export const JOB_HANDLERS: JobHandler<never>[] = [replayJobHandler as unknown as JobHandler<never>];
