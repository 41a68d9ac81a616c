// How many replay and redrive jobs one user may have queued or running. Counted from the catalog's
// job table, so every web process sees the same number. Two starts at the same instant may both
// pass the check; the limit protects the workers from a runaway user, not to the exact job.
import { getEnv } from "~/env";
import { countActiveJobsCreatedBy } from "~/server/catalog";
import { AppError } from "~/server/errors";

/** Refuses with TOO_MANY_REQUESTS when `userKey` already has `max` jobs queued or running. Call before the job's first side effect. */
export async function assertCanStartJob(userKey: string, options: { max?: number; countActive?: (userKey: string) => Promise<number> } = {}): Promise<void> {
  const max = options.max ?? getEnv().MAX_ACTIVE_JOBS_PER_USER;
  const active = await (options.countActive ?? countActiveJobsCreatedBy)(userKey);
  if (active >= max) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `${userKey} already has ${active} replay or redrive job${active === 1 ? "" : "s"} queued or running, the most one user may have (MAX_ACTIVE_JOBS_PER_USER=${max}). Wait for one to finish, or cancel one.`,
    );
  }
}
