// Deleting schema versions and the registry's mode, with Confluent Schema Registry's rules: a soft
// delete first (the version is hidden but its id still answers), then a permanent one; a version
// other schemas reference cannot be deleted; READONLY refuses registrations and deletes. The
// registry API and the catalog UI both come here; each words the refusals its own way.
import { deleteSchemaVersions, getRegistryMode, setRegistryMode, type Actor, type DeleteOutcome, type DeleteTarget, type RegistryMode, type Referrer, type TopicRef } from "~/server/catalog";
import { AppError } from "~/server/errors";

export { REGISTRY_MODES, type RegistryMode } from "~/server/catalog";

/** Who references a version, for an error message: `OrderLine version 2 (schema id 7)`. */
export function describeReferrers(by: Referrer[]): string {
  return by.map((r) => `${r.eventType} version ${r.version} (schema id ${r.schemaId}${r.deleted ? ", soft-deleted" : ""})`).join(", ");
}

export function describeBindings(topics: TopicRef[]): string {
  return topics.map((t) => `'${t.topic}' (cluster ${t.clusterName})`).join(", ");
}

const describeTarget = (target: DeleteTarget) => ("subject" in target ? "every version" : target.version === "latest" ? "the latest version" : `version ${target.version}`);

/** Soft-deletes (or, after that, permanently deletes) versions of an event type; audited in the same transaction. */
export function deleteVersions(actor: Actor, eventTypeName: string, target: DeleteTarget, permanent: boolean, context: { via: "ui" | "registry"; subject: string }): Promise<DeleteOutcome> {
  return deleteSchemaVersions({
    eventTypeName,
    target,
    permanent,
    actor,
    audit: {
      action: "subject" in target ? "schema-subject.delete" : "schema-version.delete",
      targetType: "event-type",
      targetId: eventTypeName,
      details: { subject: context.subject, requested: "subject" in target ? "all" : target.version, via: context.via },
    },
  });
}

/** The same, for the catalog UI: a refusal becomes an AppError that says what to do instead. */
export async function deleteVersionsFromCatalog(actor: Actor, eventTypeName: string, target: DeleteTarget, permanent: boolean): Promise<{ versions: number[]; eventTypeRemoved: boolean }> {
  await assertWritable([eventTypeName]);
  const outcome = await deleteVersions(actor, eventTypeName, target, permanent, { via: "ui", subject: eventTypeName });
  const what = `${describeTarget(target)} of ${eventTypeName}`;
  switch (outcome.kind) {
    case "deleted":
      return { versions: outcome.versions, eventTypeRemoved: outcome.eventTypeRemoved };
    case "no-event-type":
      throw new AppError("NOT_FOUND", `No event type named "${eventTypeName}" with versions to delete.`);
    case "no-version":
      throw new AppError("NOT_FOUND", `Event type "${eventTypeName}" has no ${describeTarget(target)}.`);
    case "already-soft-deleted":
      throw new AppError("CONFLICT", `${capitalised(what)} is already soft-deleted; delete it permanently instead.`);
    case "not-soft-deleted":
      throw new AppError("CONFLICT", `${capitalised(what)} must be soft-deleted before it can be deleted permanently (live: version ${outcome.versions.join(", ")}).`);
    case "referenced":
      throw new AppError("CONFLICT", `${capitalised(what)} cannot be deleted: other schemas reference it: ${describeReferrers(outcome.by)}.`);
    case "bound":
      throw new AppError("CONFLICT", `${capitalised(what)} cannot be deleted permanently: ${eventTypeName} is still bound to topic ${describeBindings(outcome.topics)} in the catalog, and records there may name its schema ids. Unbind the topic first (Topics on the event type's page, or schemas.unbindTopics); the schemas stay under the subject ${eventTypeName}.`);
  }
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ── Mode ─────────────────────────────────────────────────────────────────────────────────────

/** The mode that applies to a write under these subjects: the first one's own mode, else the global mode, else READWRITE. */
export async function effectiveMode(subjects: string[]): Promise<{ mode: RegistryMode; setOn: string | "global" | null }> {
  for (const subject of [...new Set(subjects)]) {
    const own = await getRegistryMode({ subject });
    if (own) return { mode: own, setOn: subject };
  }
  const global = await getRegistryMode("global");
  return global ? { mode: global, setOn: "global" } : { mode: "READWRITE", setOn: null };
}

/** Says which mode refuses a write; null when writes are allowed. */
export async function readOnlyReason(subjects: string[]): Promise<string | null> {
  const { mode, setOn } = await effectiveMode(subjects);
  if (mode === "READWRITE") return null;
  return setOn === "global" ? `The schema registry is in ${mode} mode (set globally with PUT /mode).` : `Subject '${setOn}' is in ${mode} mode.`;
}

export async function assertWritable(subjects: string[]): Promise<void> {
  const reason = await readOnlyReason(subjects);
  if (reason) throw new AppError("CONFLICT", `${reason} Registrations and deletes are refused until an architect sets it back to READWRITE.`);
}

export const getMode = (scope: { subject: string } | "global") => getRegistryMode(scope);
export const setMode = (actor: Actor, scope: { subject: string } | "global", mode: RegistryMode | null) => setRegistryMode(scope, mode, actor);
