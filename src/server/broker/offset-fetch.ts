// OffsetFetch v8 (Kafka 3.0+, KIP-709): the committed offsets of many consumer groups in one
// request to their coordinator. kafkajs 2.2.4 speaks OffsetFetch up to v7, one group per request:
// at 5,000 groups that was 5,000 round trips each sampler cycle. Encoded and parsed here, sent
// through kafkajs's own broker connection (raw-request.ts). With no topic list (null), each group's
// answer lists every partition it has committed, as `kafka-consumer-groups --describe` asks.
import "server-only";
import { compactString, uvarint, WireReader } from "./wire";

export const OFFSET_FETCH_KEY = 9;
/** v8 only: v9 adds the member epoch of KIP-848 groups, which an admin read does not send. */
export const OFFSET_FETCH_GROUPS_VERSION = { min: 8, max: 8 } as const;

/** Kafka's error codes that mean "ask this group's coordinator again": it moved, or is loading. */
export const COORDINATOR_MOVED_CODES: ReadonlySet<number> = new Set([
  14, // COORDINATOR_LOAD_IN_PROGRESS
  15, // COORDINATOR_NOT_AVAILABLE
  16, // NOT_COORDINATOR
]);

export interface GroupOffsetsAnswer {
  /** The group's error code, or the first partition's error code when the group's is 0; 0 when all is well. */
  errorCode: number;
  /** Partitions with a commit (a -1 offset, listed without a commit, is left out). */
  offsets: { topic: string; partition: number; offset: number }[];
}

/** The request body (header tags first, as a flexible version wants), every topic of each group. */
export function encodeOffsetFetchGroups(groupIds: string[]): Buffer {
  const parts: Buffer[] = [uvarint(0), uvarint(groupIds.length + 1)];
  for (const groupId of groupIds) parts.push(compactString(groupId), uvarint(0) /* topics: null = all */, uvarint(0) /* tags */);
  parts.push(Buffer.from([0]) /* require_stable: false, as the admin tools ask */, uvarint(0));
  return Buffer.concat(parts);
}

/** The answer of each group in the response (after its correlation id). */
export function parseOffsetFetchGroups(payload: Buffer): Map<string, GroupOffsetsAnswer> {
  const r = new WireReader(payload, "OffsetFetch response");
  r.skipTags(); // response header v1
  r.skip(4); // throttle_time_ms
  const answers = new Map<string, GroupOffsetsAnswer>();
  const groups = r.uvarint() - 1;
  for (let g = 0; g < groups; g++) {
    const groupId = r.compactString() ?? "";
    const offsets: GroupOffsetsAnswer["offsets"] = [];
    let partitionError = 0;
    const topics = r.uvarint() - 1;
    for (let t = 0; t < topics; t++) {
      const topic = r.compactString() ?? "";
      const partitions = r.uvarint() - 1;
      for (let p = 0; p < partitions; p++) {
        const partition = r.int32();
        const offset = r.int64();
        r.skip(4); // committed_leader_epoch
        r.compactString(); // metadata
        const errorCode = r.int16();
        r.skipTags();
        if (errorCode !== 0) partitionError ||= errorCode;
        else if (offset >= 0) offsets.push({ topic, partition, offset });
      }
      r.skipTags();
    }
    const errorCode = r.int16();
    r.skipTags();
    answers.set(groupId, { errorCode: errorCode || partitionError, offsets });
  }
  return answers;
}
