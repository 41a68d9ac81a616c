// Resetting a consumer group's offsets, the way `kafka-consumer-groups --reset-offsets` does: a
// preview first (old offset, new offset, resulting lag per partition; its --dry-run), then the
// reset, which Kafka allows only while the group has no active members. Audited.
import { z } from "zod";
import { isJobCheckpointGroup } from "~/lib/internal-groups";
import {
  commitGroupOffsets,
  describeConsumerGroups,
  fetchCommittedOffsets,
  offsetsForTimestamp,
  readPartitionOffsets,
  type ClusterConnectionConfig,
} from "~/server/broker";
import { writeAudit, type Actor } from "~/server/catalog";
import { AppError } from "~/server/errors";

export const resetTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("earliest") }),
  z.object({ kind: z.literal("latest") }),
  z.object({ kind: z.literal("timestamp"), timestamp: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("offset"), offset: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("shift"), by: z.number().int() }),
]);

export const resetRequestSchema = z.object({
  groupId: z.string().min(1).max(249),
  topic: z.string().min(1).max(249),
  /** All of the topic's partitions when absent or empty. */
  partitions: z.array(z.number().int().nonnegative()).max(10_000).optional(),
  target: resetTargetSchema,
});

export type ResetRequest = z.infer<typeof resetRequestSchema>;
export type ResetTarget = z.infer<typeof resetTargetSchema>;

export interface ResetRow {
  topic: string;
  partition: number;
  /** The committed offset now; null when the group has none for the partition. */
  current: number | null;
  newOffset: number;
  logStart: number;
  logEnd: number;
  /** Log end minus the new offset, as the group's lag right after the reset. */
  lagAfter: number;
  /** Set when the target fell outside the log and was moved to its start or end, as Kafka's tool does. */
  clamped: "start" | "end" | null;
}

export interface ResetPreview {
  groupId: string;
  state: string;
  members: { memberId: string; clientId: string; host: string }[];
  /** Kafka's reason why a reset is refused now, or null when it may proceed. */
  refusal: string | null;
  rows: ResetRow[];
}

/** Where each partition's offset lands for `target`, clamped into [log start, log end] like ConsumerGroupCommand. */
export function targetOffsets(
  target: ResetTarget,
  partitions: { partition: number; current: number | null; logStart: number; logEnd: number; atTimestamp?: number }[],
): { partition: number; newOffset: number; clamped: "start" | "end" | null }[] {
  return partitions.map((p) => {
    let wanted: number;
    switch (target.kind) {
      case "earliest":
        wanted = p.logStart;
        break;
      case "latest":
        wanted = p.logEnd;
        break;
      case "timestamp":
        wanted = p.atTimestamp ?? p.logEnd;
        break;
      case "offset":
        wanted = target.offset;
        break;
      case "shift":
        if (p.current === null) throw new AppError("BAD_REQUEST", `Cannot shift partition ${p.partition}: the group has no committed offset there. Reset it to an offset, the earliest or the latest instead.`);
        wanted = p.current + target.by;
        break;
    }
    if (wanted < p.logStart) return { partition: p.partition, newOffset: p.logStart, clamped: "start" };
    if (wanted > p.logEnd) return { partition: p.partition, newOffset: p.logEnd, clamped: "end" };
    return { partition: p.partition, newOffset: wanted, clamped: null };
  });
}

/**
 * Why a job's checkpoint group is never reset, even when Empty (a paused job has no members): its
 * offsets are committed in the same Kafka transaction as the records the job wrote, so they are the
 * job's proof of what it wrote. Moved, the resumed job would skip records or write them twice.
 */
function checkpointGroupRefusal(groupId: string): string {
  return `'${groupId}' is the checkpoint of a Signalbox replay or redrive job: its offsets are committed in the same Kafka transaction as the records the job wrote, so resetting them would break the job's exactly-once guarantee (a resumed job would skip records or write them twice). Pause, resume or cancel the job instead.`;
}

export async function previewReset(cluster: ClusterConnectionConfig, request: ResetRequest): Promise<ResetPreview> {
  const [description] = await describeConsumerGroups(cluster, [request.groupId]);
  // Commits first, then the log end, so a busy group's current offset never shows above its log end.
  const committed = await fetchCommittedOffsets(cluster, request.groupId);
  // Log start and end read_uncommitted, as kafka-consumer-groups reads them.
  const offsets = (await readPartitionOffsets(cluster, [request.topic])).filter((o) => o.topic === request.topic);
  if (offsets.length === 0) throw new AppError("NOT_FOUND", `Topic "${request.topic}" does not exist.`);
  const chosen = request.partitions?.length ? request.partitions : offsets.map((o) => o.partition);
  const missing = chosen.filter((p) => !offsets.some((o) => o.partition === p));
  if (missing.length) throw new AppError("BAD_REQUEST", `Topic "${request.topic}" has no partition ${missing.join(", ")}.`);
  const atTime = request.target.kind === "timestamp" ? await offsetsForTimestamp(cluster, request.topic, request.target.timestamp) : [];
  const partitions = chosen
    .sort((a, b) => a - b)
    .map((partition) => {
      const o = offsets.find((x) => x.partition === partition)!;
      return {
        partition,
        current: committed.find((c) => c.topic === request.topic && c.partition === partition)?.offset ?? null,
        logStart: o.low,
        logEnd: o.high,
        atTimestamp: atTime.find((a) => a.partition === partition)?.offset,
      };
    });
  const targets = targetOffsets(request.target, partitions);
  const state = description?.state ?? "Unknown";
  const members = (description?.members ?? []).map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.host }));
  const inactive = state === "Empty" || state === "Dead";
  const refusal = isJobCheckpointGroup(request.groupId)
    ? checkpointGroupRefusal(request.groupId)
    : inactive
      ? null
      : // Kafka's own tool says exactly this (ConsumerGroupCommand) and refuses.
        `Assignments can only be reset if the group '${request.groupId}' is inactive, but the current state is ${state} (${members.length} active member${members.length === 1 ? "" : "s"}: ${members.map((m) => m.clientId).join(", ") || "none listed"}). Stop its consumers first.`;
  return {
    groupId: request.groupId,
    state,
    members,
    refusal,
    rows: partitions.map((p, i) => ({
      topic: request.topic,
      partition: p.partition,
      current: p.current,
      newOffset: targets[i]!.newOffset,
      logStart: p.logStart,
      logEnd: p.logEnd,
      lagAfter: p.logEnd - targets[i]!.newOffset,
      clamped: targets[i]!.clamped,
    })),
  };
}

export async function executeReset(actor: Actor, cluster: ClusterConnectionConfig, input: ResetRequest): Promise<ResetPreview> {
  const preview = await previewReset(cluster, input);
  if (preview.refusal) {
    await writeAudit({ actor, action: "group.offsets.reset-refused", targetType: "consumer-group", targetId: preview.groupId, details: { topic: input.topic, target: input.target, reason: preview.refusal } });
    throw new AppError("CONFLICT", preview.refusal);
  }
  try {
    await commitGroupOffsets(cluster, preview.groupId, input.topic, preview.rows.map((r) => ({ partition: r.partition, offset: r.newOffset })));
  } catch (error) {
    // A consumer may have joined since the preview; Kafka's answer is the reason to show.
    const reason = error instanceof AppError ? error.userMessage : String(error);
    await writeAudit({ actor, action: "group.offsets.reset-refused", targetType: "consumer-group", targetId: preview.groupId, details: { topic: input.topic, target: input.target, reason } });
    throw new AppError("CONFLICT", `Kafka refused the reset: ${reason}`, { cause: error });
  }
  await writeAudit({
    actor,
    action: "group.offsets.reset",
    targetType: "consumer-group",
    targetId: preview.groupId,
    details: { topic: input.topic, target: input.target, partitions: preview.rows.map((r) => ({ partition: r.partition, from: r.current, to: r.newOffset })) },
  });
  return preview;
}
