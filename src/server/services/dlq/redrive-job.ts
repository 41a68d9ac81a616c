// The redrive job kind: writes each claimed DLQ record to its target exactly once and records that in
// PostgreSQL. Why Kafka transactions (reusing the replay's transactional writer) rather than an
// outbox: the claim rows already are the outbox (keyed by DLQ position), but only a transaction makes
// "written" and "checkpoint moved" one atomic step in Kafka. Each batch is one transaction holding
// the copies and the job's next DLQ offset per partition. After the commit the claims below the
// checkpoint become REDRIVEN; a crash between the two is repaired on restart by the same rule
// (claims below the committed checkpoint were written), and a batch that never committed was
// aborted when the restarted writer fenced it, so it is written again, once.
import { REDRIVE_CHECKPOINT_GROUP_PREFIX } from "~/lib/internal-groups";
import { deleteIdleGroups, ensureTopics, openTransactionalWriter, readRange, readTopicBounds, type FetchedRecord, type OutgoingCopy, type RecordHeader, type TransactionalWriter } from "~/server/broker";
import { countClaims, listQueuedClaims, markClaimsExpired, markClaimsRedriven, noteRedriveProblem, planClaims, releaseQueuedClaims, type DlqStateRow } from "~/server/catalog";
import type { JobContext, JobHandler, JobRunResult } from "~/server/services/jobs/types";
import { REPLAY_JOB_HEADER, REPLAY_OF_HEADER } from "~/server/services/replay/params";
import { announceDlqChange } from "./changes";
import { REDRIVE_ATTEMPT_HEADER, readDlqHeaders, redriveAttempt } from "./headers";
import { redriveJobParamsSchema, type RedriveJobParams } from "./params";
import { encodeLikeOriginal } from "~/server/services/schemas/schema-decoding";

export const REDRIVE_KIND = "dlq-redrive";

/** The job's transactional id and checkpoint group: stable for the job's life, unique to it. */
export function redriveKafkaId(jobKey: string): string {
  return `${REDRIVE_CHECKPOINT_GROUP_PREFIX}${jobKey}`;
}

const MARK_HEADERS = new Set([REPLAY_OF_HEADER, REPLAY_JOB_HEADER, REDRIVE_ATTEMPT_HEADER]);

/** Where a record goes and what attempt it is; null target when neither headers nor the job name one. */
export function redriveTarget(headers: readonly RecordHeader[], params: Pick<RedriveJobParams, "targetTopic" | "fallbackTopic" | "attemptCap" | "parkingTopic">): { topic: string | null; attempt: number; parked: boolean } {
  const attempt = redriveAttempt(headers) + 1;
  if (attempt > params.attemptCap) return { topic: params.parkingTopic, attempt, parked: true };
  return { topic: params.targetTopic ?? readDlqHeaders(headers).origin.topic ?? params.fallbackTopic, attempt, parked: false };
}

/**
 * The copy a redrive writes: same key and headers (eventId stays in the value or its header), the
 * edited value when there is one, and the marks: where it came from, which job, which attempt.
 * Earlier marks are replaced, so a record redriven twice carries one of each.
 */
export function redriveCopy(record: FetchedRecord, topic: string, attempt: number, jobId: number, editedValue: Uint8Array | null): OutgoingCopy {
  return {
    topic,
    key: record.key,
    value: editedValue !== null ? Buffer.from(editedValue) : record.value,
    headers: [
      ...record.headers.filter((h) => !MARK_HEADERS.has(h.key)),
      { key: REPLAY_OF_HEADER, value: Buffer.from(`${record.topic}/${record.partition}/${record.offset}`) },
      { key: REPLAY_JOB_HEADER, value: Buffer.from(String(jobId)) },
      { key: REDRIVE_ATTEMPT_HEADER, value: Buffer.from(String(attempt)) },
    ],
  };
}

/** Claims below the committed checkpoint were written: mark them redriven (after a crash, again). */
async function creditCommitted(writer: TransactionalWriter, jobKey: string, dlqTopic: string): Promise<void> {
  for (const c of await writer.readCheckpoint(dlqTopic)) await markClaimsRedriven(jobKey, c.partition, c.offset);
}

const FETCH_BYTES = 4 * 1024 * 1024;
export const MISSING_TARGET_PROBLEM = "Not redriven: its headers name no source topic, the DLQ declares none and no target was chosen. Redrive it to a chosen topic.";
const MAX_BATCH = 5_000;

async function runRedrive(ctx: JobContext<RedriveJobParams>): Promise<JobRunResult> {
  const { params, id, key } = ctx.job;
  const writer = await openTransactionalWriter(ctx.cluster, { transactionalId: redriveKafkaId(key), checkpointGroupId: redriveKafkaId(key), label: `redrive job #${id}` });
  try {
    // Opening the writer fenced any older runner; what its committed checkpoint covers was written.
    await creditCommitted(writer, key, params.dlqTopic);
    const counts = await countClaims(key);
    let written = counts.REDRIVEN;
    const total = params.count;
    const report = () => ctx.progress({ read: written, matched: written, written, toRead: total, expected: total });
    report();

    const claims = await listQueuedClaims(key);
    const byPartition = new Map<number, Map<number, DlqStateRow>>();
    for (const c of claims) {
      if (!byPartition.has(c.partition)) byPartition.set(c.partition, new Map());
      byPartition.get(c.partition)!.set(c.offset, c);
    }
    let parkingReady = false;
    let missingTarget = 0;
    let unencodable = 0;
    let expired = 0;

    for (const [partition, wanted] of byPartition) {
      // Retention may have deleted claimed records since they were claimed. They were never written
      // and cannot be: they are marked expired (not redriven, and not pending: they are gone).
      const logStart = (await readTopicBounds(ctx.cluster, params.dlqTopic)).find((b) => b.partition === partition)?.start ?? 0;
      const gone = [...wanted.keys()].filter((offset) => offset < logStart);
      expired += await markClaimsExpired(key, partition, gone, `Deleted by retention before redrive job #${id} reached it.`);
      for (const offset of gone) wanted.delete(offset);
      if (wanted.size === 0) continue;
      const offsets = [...wanted.keys()];
      const from = Math.min(...offsets);
      const end = Math.max(...offsets) + 1;
      let copies: OutgoingCopy[] = [];
      let plans: { partition: number; offset: number; targetTopic: string; redriveAttempt: number }[] = [];
      let batchLimit = ctx.pacer.batchSize(MAX_BATCH);
      const commit = async (nextOffset: number) => {
        if (copies.length > 0 && !(await ctx.pacer.acquire(copies.length, ctx.signal))) return false;
        await planClaims(key, plans);
        await writer.commit(copies, params.dlqTopic, [{ partition, offset: nextOffset, metadata: null }]);
        await markClaimsRedriven(key, partition, nextOffset);
        await announceDlqChange(ctx.cluster.name, params.dlqTopic);
        written += copies.length;
        copies = [];
        plans = [];
        batchLimit = ctx.pacer.batchSize(MAX_BATCH);
        report();
        return true;
      };
      for await (const chunk of readRange(ctx.cluster, params.dlqTopic, [{ partition, offset: from }], { ends: new Map([[partition, end]]), signal: ctx.signal, fetchBytes: FETCH_BYTES })) {
        for (const record of chunk.records) {
          const claim = wanted.get(record.offset);
          if (!claim) continue;
          const target = redriveTarget(record.headers, params);
          if (!target.topic) {
            // Nothing says where it goes: it is not planned, so the commit does not mark it redriven;
            // it stays pending (released when the job ends), with the reason noted on the record.
            missingTarget += 1;
            await noteRedriveProblem(ctx.cluster.name, params.dlqTopic, partition, [record.offset], MISSING_TARGET_PROBLEM);
            continue;
          }
          if (target.parked && !parkingReady) {
            await ensureTopics(ctx.cluster, [{ topic: params.parkingTopic, numPartitions: 1 }]);
            parkingReady = true;
          }
          let edited: Uint8Array | null = null;
          if (claim.editAfter !== null) {
            try {
              edited = await encodeLikeOriginal(record.value, claim.editAfter, ctx.cluster.name);
            } catch (error) {
              // Checked when the edit was made; the schema can only have gone since. It stays pending, with the reason.
              unencodable += 1;
              await noteRedriveProblem(ctx.cluster.name, params.dlqTopic, partition, [record.offset], `Not redriven: the edit could not be encoded. ${error instanceof Error ? error.message : String(error)}`);
              continue;
            }
          }
          copies.push(redriveCopy(record, target.topic, target.attempt, id, edited));
          plans.push({ partition, offset: record.offset, targetTopic: target.topic, redriveAttempt: target.attempt });
          if (copies.length >= batchLimit) {
            if (!(await commit(record.offset + 1))) return { outcome: "stopped" };
            if (await ctx.stopRequested()) return { outcome: "stopped" };
          }
        }
      }
      if (ctx.signal.aborted) return { outcome: "stopped" };
      if (copies.length > 0 && !(await commit(plans[plans.length - 1]!.offset + 1))) return { outcome: "stopped" };
      if (await ctx.stopRequested()) return { outcome: "stopped" };
    }
    const notes = [
      missingTarget > 0 ? `${missingTarget} record(s) name no source topic and stay pending; redrive them to a chosen topic.` : null,
      expired > 0 ? `${expired} record(s) were deleted by retention before the job reached them (expired).` : null,
      unencodable > 0 ? `${unencodable} edited record(s) could not be encoded with their schema and stay pending.` : null,
    ].filter((n) => n !== null);
    return { outcome: "finished", note: notes.length > 0 ? notes.join(" ") : undefined };
  } finally {
    await writer.close();
  }
}

export const redriveJobHandler: JobHandler<RedriveJobParams> = {
  kind: REDRIVE_KIND,
  paramsSchema: redriveJobParamsSchema,
  ratePerSec: (params) => params.ratePerSec,
  run: runRedrive,
  // Over (finished, cancelled, failed): what it did not write is pending again, and its checkpoint group goes.
  cleanup: async (job, cluster) => {
    // A job cancelled after a crash never ran again: first credit what its last transaction committed.
    const writer = await openTransactionalWriter(cluster, { transactionalId: redriveKafkaId(job.key), checkpointGroupId: redriveKafkaId(job.key), label: `redrive job #${job.id}` });
    try {
      await creditCommitted(writer, job.key, job.params.dlqTopic);
    } finally {
      await writer.close();
    }
    await releaseQueuedClaims(job.key);
    await announceDlqChange(cluster.name, job.params.dlqTopic);
    await deleteIdleGroups(cluster, [redriveKafkaId(job.key)]);
  },
};
