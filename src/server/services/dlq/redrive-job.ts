// The redrive job kind: writes each claimed DLQ record to its target exactly once and records that in
// PostgreSQL. Why Kafka transactions (reusing the replay's transactional writer) rather than an
// outbox: the claim rows already are the outbox (keyed by DLQ position), but only a transaction makes
// "written" and "checkpoint moved" one atomic step in Kafka. Each batch is one transaction holding
// the copies and the job's next DLQ offset per partition. After the commit the claims below the
// checkpoint become REDRIVEN; a crash between the two is repaired on restart by the same rule
// (claims below the committed checkpoint were written), and a batch that never committed was
// aborted when the restarted writer fenced it, so it is written again, once.
//
// As replay does, a redrive deals the DLQ's partitions to several writers (one transactional producer
// each) that run side by side, send copies as they read them and commit every COMMIT_INTERVAL_MS.
import { REDRIVE_CHECKPOINT_GROUP_PREFIX } from "~/lib/internal-groups";
import { batchCodecs, deleteIdleGroups, ensureTopics, openWriterGroup, readRange, readTopicBounds, type ClusterConnectionConfig, type FetchedRecord, type OutgoingCopy, type RecordHeader, type TransactionalWriter, type WriterGroup } from "~/server/broker";
import { countClaims, listClaimPartitions, listQueuedClaims, markClaimsExpired, markClaimsRedriven, noteRedriveProblem, planClaims, releaseQueuedClaims, type DlqStateRow } from "~/server/catalog";
import { COMMIT_INTERVAL_MS, type JobContext, type JobHandler, type JobRunResult } from "~/server/services/jobs/types";
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
async function creditCommitted(writers: WriterGroup, jobKey: string, dlqTopic: string): Promise<void> {
  for (const c of await writers.readCheckpoint(dlqTopic)) await markClaimsRedriven(jobKey, c.partition, c.offset);
}

/**
 * The job's writers, grouped by every partition it has claims in (not only those still queued), so
 * a resumed run fences each producer of the run before. The one id older versions used is fenced too.
 */
async function openRedriveWriters(cluster: ClusterConnectionConfig, jobKey: string, label: string): Promise<WriterGroup> {
  return openWriterGroup(cluster, { jobKafkaId: redriveKafkaId(jobKey), partitions: await listClaimPartitions(jobKey), label, fence: [redriveKafkaId(jobKey)] });
}

const FETCH_BYTES = 4 * 1024 * 1024;
export const MISSING_TARGET_PROBLEM = "Not redriven: its headers name no source topic, the DLQ declares none and no target was chosen. Redrive it to a chosen topic.";
/** Records per send (and, with a rate limit, per transaction). */
const MAX_BATCH = 5_000;
/** Without a rate limit a writer commits when its transaction is this old or this big (as replay does). */
const MAX_TRANSACTION_RECORDS = 50_000;

interface RedriveRun {
  written: number;
  missingTarget: number;
  unencodable: number;
  expired: number;
  parkingReady: Promise<void> | null;
  stopped: boolean;
  failed: boolean;
}

async function runRedrive(ctx: JobContext<RedriveJobParams>): Promise<JobRunResult> {
  const { params, key, id } = ctx.job;
  const writers = await openRedriveWriters(ctx.cluster, key, `redrive job #${id}`);
  try {
    // Opening the writers fenced any older runner; what its committed checkpoint covers was written.
    await creditCommitted(writers, key, params.dlqTopic);
    const counts = await countClaims(key);
    const run: RedriveRun = { written: counts.REDRIVEN, missingTarget: 0, unencodable: 0, expired: 0, parkingReady: null, stopped: false, failed: false };
    const total = params.count;
    const report = () => ctx.progress({ read: run.written, matched: run.written, written: run.written, toRead: total, expected: total });
    report();

    const claims = await listQueuedClaims(key);
    const byPartition = new Map<number, Map<number, DlqStateRow>>();
    for (const c of claims) {
      if (!byPartition.has(c.partition)) byPartition.set(c.partition, new Map());
      byPartition.get(c.partition)!.set(c.offset, c);
    }
    const runs = writers.writers.map(({ partitions, writer }) =>
      redrivePartitions(
        ctx,
        writer,
        partitions.filter((p) => byPartition.has(p)).map((p) => [p, byPartition.get(p)!] as const),
        run,
        report,
      ).catch((error: unknown) => {
        run.failed = true;
        throw error;
      }),
    );
    const results = await Promise.allSettled(runs);
    const failure = results.find((r) => r.status === "rejected");
    if (failure) throw failure.reason;
    if (run.stopped || ctx.signal.aborted) return { outcome: "stopped" };
    const notes = [
      run.missingTarget > 0 ? `${run.missingTarget} record(s) name no source topic and stay pending; redrive them to a chosen topic.` : null,
      run.expired > 0 ? `${run.expired} record(s) were deleted by retention before the job reached them (expired).` : null,
      run.unencodable > 0 ? `${run.unencodable} edited record(s) could not be encoded with their schema and stay pending.` : null,
    ].filter((n) => n !== null);
    return { outcome: "finished", note: notes.length > 0 ? notes.join(" ") : undefined };
  } finally {
    await writers.close();
  }
}

/** One writer's share of a redrive: its partitions one after another, committing as it goes. */
async function redrivePartitions(ctx: JobContext<RedriveJobParams>, writer: TransactionalWriter, partitions: (readonly [number, Map<number, DlqStateRow>])[], run: RedriveRun, report: () => void): Promise<void> {
  const { params, id, key } = ctx.job;
  const rateLimited = ctx.pacer.ratePerSec !== null;
  // The open transaction: each partition's next DLQ offset, and how many copies it holds.
  const pending = new Map<number, number>();
  let inTransaction = 0;
  let openSince = 0;
  const ended = () => run.stopped || run.failed;
  const commit = async () => {
    if (pending.size === 0) return;
    await writer.commit([], params.dlqTopic, [...pending].map(([partition, offset]) => ({ partition, offset, metadata: null })));
    for (const [partition, offset] of pending) await markClaimsRedriven(key, partition, offset);
    await announceDlqChange(ctx.cluster.name, params.dlqTopic);
    run.written += inTransaction;
    pending.clear();
    inTransaction = 0;
    report();
    if (!run.stopped && (await ctx.stopRequested())) run.stopped = true;
  };
  const commitDue = () => rateLimited || inTransaction >= MAX_TRANSACTION_RECORDS || performance.now() - openSince >= COMMIT_INTERVAL_MS;

  for (const [partition, wanted] of partitions) {
    if (ended()) break;
    // Retention may have deleted claimed records since they were claimed. They were never written
    // and cannot be: they are marked expired (not redriven, and not pending: they are gone).
    const logStart = (await readTopicBounds(ctx.cluster, params.dlqTopic)).find((b) => b.partition === partition)?.start ?? 0;
    const gone = [...wanted.keys()].filter((offset) => offset < logStart);
    run.expired += await markClaimsExpired(key, partition, gone, `Deleted by retention before redrive job #${id} reached it.`);
    for (const offset of gone) wanted.delete(offset);
    if (wanted.size === 0) continue;
    const offsets = [...wanted.keys()];
    const from = Math.min(...offsets);
    const end = Math.max(...offsets) + 1;
    let copies: OutgoingCopy[] = [];
    let plans: { partition: number; offset: number; targetTopic: string; redriveAttempt: number }[] = [];
    let batchLimit = ctx.pacer.batchSize(MAX_BATCH);
    /** Sends the copies made so far into the open transaction, which then moves this partition's checkpoint to `nextOffset`. */
    const send = async (nextOffset: number): Promise<boolean> => {
      if (copies.length > 0) {
        if (!(await ctx.pacer.acquire(copies.length, ctx.signal))) {
          run.stopped = true;
          return false;
        }
        if (pending.size === 0) openSince = performance.now();
        // Planned before their transaction commits: after a crash, planned claims below the committed checkpoint were written.
        await planClaims(key, plans);
        await writer.send(copies, { compression });
        inTransaction += copies.length;
      } else if (pending.size === 0) openSince = performance.now();
      pending.set(partition, nextOffset);
      copies = [];
      plans = [];
      batchLimit = ctx.pacer.batchSize(MAX_BATCH);
      return true;
    };
    // Copies keep the DLQ's compression (its first batch's codec in the range), as replay copies do.
    const compression = (await batchCodecs(ctx.cluster, params.dlqTopic, [{ partition, offset: from }])).get(partition);
    let cursor = from;
    for await (const chunk of readRange(ctx.cluster, params.dlqTopic, [{ partition, offset: from }], { ends: new Map([[partition, end]]), signal: ctx.signal, fetchBytes: FETCH_BYTES })) {
      for (const record of chunk.records) {
        cursor = record.offset + 1;
        const claim = wanted.get(record.offset);
        if (!claim) continue;
        const target = redriveTarget(record.headers, params);
        if (!target.topic) {
          // Nothing says where it goes: it is not planned, so the commit does not mark it redriven;
          // it stays pending (released when the job ends), with the reason noted on the record.
          run.missingTarget += 1;
          await noteRedriveProblem(ctx.cluster.name, params.dlqTopic, partition, [record.offset], MISSING_TARGET_PROBLEM);
          continue;
        }
        if (target.parked) {
          run.parkingReady ??= ensureTopics(ctx.cluster, [{ topic: params.parkingTopic, numPartitions: 1 }]).then(() => undefined);
          await run.parkingReady;
        }
        let edited: Uint8Array | null = null;
        if (claim.editAfter !== null) {
          try {
            edited = await encodeLikeOriginal(record.value, claim.editAfter, ctx.cluster.name);
          } catch (error) {
            // Checked when the edit was made; the schema can only have gone since. It stays pending, with the reason.
            run.unencodable += 1;
            await noteRedriveProblem(ctx.cluster.name, params.dlqTopic, partition, [record.offset], `Not redriven: the edit could not be encoded. ${error instanceof Error ? error.message : String(error)}`);
            continue;
          }
        }
        copies.push(redriveCopy(record, target.topic, target.attempt, id, edited));
        plans.push({ partition, offset: record.offset, targetTopic: target.topic, redriveAttempt: target.attempt });
        if (copies.length >= batchLimit) {
          if (!(await send(cursor))) return commit();
          if (rateLimited) await commit();
          if (ended()) return commit();
        }
      }
      if (!(await send(cursor))) return commit();
      // A pause or cancel is seen after each chunk, not only at a commit (commits are seconds apart).
      if (!run.stopped && (await ctx.stopRequested())) run.stopped = true;
      if (commitDue()) await commit();
      if (ended()) return commit();
    }
    if (ctx.signal.aborted) {
      run.stopped = true;
      return commit();
    }
  }
  await commit();
}

export const redriveJobHandler: JobHandler<RedriveJobParams> = {
  kind: REDRIVE_KIND,
  paramsSchema: redriveJobParamsSchema,
  ratePerSec: (params) => params.ratePerSec,
  run: runRedrive,
  // Over (finished, cancelled, failed): what it did not write is pending again, and its checkpoint group goes.
  cleanup: async (job, cluster) => {
    // A job cancelled after a crash never ran again: first credit what its last transaction committed.
    const writers = await openRedriveWriters(cluster, job.key, `redrive job #${job.id}`);
    try {
      await creditCommitted(writers, job.key, job.params.dlqTopic);
    } finally {
      await writers.close();
    }
    await releaseQueuedClaims(job.key);
    await announceDlqChange(cluster.name, job.params.dlqTopic);
    await deleteIdleGroups(cluster, [redriveKafkaId(job.key)]);
  },
};
