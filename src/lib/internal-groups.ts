// Consumer groups Signalbox itself creates to read records (sampling, browsing). They are not part
// of the system being watched, so the topology never draws them.
export const INTERNAL_GROUP_PREFIX = "signalbox-internal-";

// Consumer groups that hold a replay or redrive job's checkpoint: the job commits their offsets in
// the same Kafka transaction as the records it wrote, which is what makes a resumed job write each
// record exactly once. Moving them by hand breaks that, so Signalbox never resets them.
export const REPLAY_CHECKPOINT_GROUP_PREFIX = "signalbox-replay-";
export const REDRIVE_CHECKPOINT_GROUP_PREFIX = "signalbox-redrive-";

export function isJobCheckpointGroup(groupId: string): boolean {
  return groupId.startsWith(REPLAY_CHECKPOINT_GROUP_PREFIX) || groupId.startsWith(REDRIVE_CHECKPOINT_GROUP_PREFIX);
}
