// Starting a replay: the ranges the dry run resolved become the job's parameters, checked again
// against the topic, so the job replays exactly what the user saw counted.
import { selectedBounds } from "~/server/broker";
import type { ClusterConnectionConfig } from "~/server/broker";
import type { Actor } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { createJob, startOnce, type JobView } from "~/server/services/jobs/jobs";
import { assertCanStartJob } from "~/server/services/limits/jobs";
import { formatCount } from "~/lib/format";
import type { ReplayJobParams } from "./params";
import { REPLAY_KIND } from "./replay-job";

export function replaySummary(params: ReplayJobParams): string {
  const r = params.request;
  const parts = [`${r.sourceTopic} → ${r.targetTopic}`, `${formatCount(params.dryRunCount)} record${params.dryRunCount === 1 ? "" : "s"}`];
  if (r.ratePerSec) parts.push(`${formatCount(r.ratePerSec)} msg/s`);
  return parts.join(" · ");
}

/** `request`: parsed by the router with replayJobParamsSchema. */
export async function startReplay(actor: Actor, cluster: ClusterConnectionConfig, request: ReplayJobParams): Promise<JobView> {
  const { idempotencyKey, ...params } = request;
  return startOnce(actor, idempotencyKey, async () => {
    await assertCanStartJob(actor.email);
    const bounds = await selectedBounds(cluster, params.request.sourceTopic, params.ranges.map((r) => r.partition));
    for (const range of params.ranges) {
      const b = bounds.find((x) => x.partition === range.partition)!;
      if (range.from < b.start || range.to > b.end || range.from > range.to) {
        throw new AppError("BAD_REQUEST", `Partition ${range.partition}: offsets ${range.from}–${range.to} are outside what the topic holds (${b.start}–${b.end}). Run the dry run again.`);
      }
    }
    return createJob(actor, cluster.name, {
      kind: REPLAY_KIND,
      params,
      summary: replaySummary(params),
      expected: params.dryRunCount,
      toRead: params.ranges.reduce((s, r) => s + (r.to - r.from), 0),
      idempotencyKey,
    });
  });
}
