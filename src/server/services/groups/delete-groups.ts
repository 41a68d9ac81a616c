// Deleting consumer groups, one or many, as `kafka-consumer-groups --delete` does: a group's
// committed offsets go with it, so a consumer that joins under that id again starts from its
// auto.offset.reset. Kafka itself refuses a group with members; Signalbox refuses its own groups
// before asking (a job's checkpoint group holds the offsets that make a resumed replay or redrive
// write each record once). Each group's outcome is audited.
import { z } from "zod";
import { INTERNAL_GROUP_PREFIX, isJobCheckpointGroup } from "~/lib/internal-groups";
import { deleteConsumerGroups, describeConsumerGroups, type ClusterConnectionConfig, type ConsumerGroupDescription, type GroupDeletion } from "~/server/broker";
import { writeAudit, type Actor } from "~/server/catalog";

/** At most this many groups per request: a bounded broker call and a readable result. */
export const MAX_GROUPS_PER_DELETE = 100;

export const deleteGroupsSchema = z.object({
  groupIds: z
    .array(z.string().min(1).max(249))
    .min(1, "Name at least one consumer group to delete.")
    .max(MAX_GROUPS_PER_DELETE, `Delete at most ${MAX_GROUPS_PER_DELETE} consumer groups at once.`)
    .transform((ids) => [...new Set(ids)]),
});
export type DeleteGroupsRequest = z.infer<typeof deleteGroupsSchema>;

export interface DeleteGroupsResult {
  results: GroupDeletion[];
  deleted: number;
  refused: number;
}

/** Why Signalbox will not delete `groupId` at all, or null. */
export function ownGroupRefusal(groupId: string): string | null {
  if (isJobCheckpointGroup(groupId)) return "it holds a Signalbox replay or redrive job's checkpoint; deleting it would break the job's exactly-once resume";
  if (groupId.startsWith(INTERNAL_GROUP_PREFIX)) return "it is Signalbox's own reader group";
  return null;
}

/**
 * Splits the request into groups refused up front (Signalbox's own, groups with members, groups the
 * broker does not know) and groups to ask Kafka to delete. The broker refuses members too; checking
 * first gives the count in the reason.
 */
export function planGroupDeletion(groupIds: string[], described: ConsumerGroupDescription[]): { refused: GroupDeletion[]; toDelete: string[] } {
  const byId = new Map(described.map((d) => [d.groupId, d]));
  const refused: GroupDeletion[] = [];
  const toDelete: string[] = [];
  for (const groupId of groupIds) {
    const own = ownGroupRefusal(groupId);
    const group = byId.get(groupId);
    if (own) refused.push({ groupId, deleted: false, reason: own });
    else if (!group || group.state === "Dead") refused.push({ groupId, deleted: false, reason: "no such group" });
    else if (group.members.length > 0)
      refused.push({ groupId, deleted: false, reason: `it has ${group.members.length} active member${group.members.length === 1 ? "" : "s"} (state ${group.state}): stop its consumers first` });
    else toDelete.push(groupId);
  }
  return { refused, toDelete };
}

export async function deleteGroups(actor: Actor, cluster: ClusterConnectionConfig, request: DeleteGroupsRequest): Promise<DeleteGroupsResult> {
  const checkable = request.groupIds.filter((id) => !ownGroupRefusal(id));
  const { refused, toDelete } = planGroupDeletion(request.groupIds, await describeConsumerGroups(cluster, checkable));
  const attempted = await deleteConsumerGroups(cluster, toDelete);
  const byId = new Map([...refused, ...attempted].map((r) => [r.groupId, r]));
  const results = request.groupIds.map((id) => byId.get(id)!);
  // One entry per group, after Kafka answered: the audit says what happened, refusals included.
  for (const r of results) {
    await writeAudit({ actor, action: r.deleted ? "group.delete" : "group.delete-refused", targetType: "consumer-group", targetId: r.groupId, details: { cluster: cluster.name, ...(r.reason ? { reason: r.reason } : {}) } });
  }
  return { results, deleted: results.filter((r) => r.deleted).length, refused: results.filter((r) => !r.deleted).length };
}
