// The catalog of a cluster that names an external schema registry: subjects, versions and schemas
// come from that registry; Signalbox's catalog adds what a registry lacks (domain, owner,
// description, topic bindings, and the producers and consumers declared for the event type of the
// same name). Registering through Signalbox writes the schema into that registry, and only the
// metadata into the catalog (audited with it).
import type { Env } from "~/env";
import { listEventTypeMetadata, upsertEventTypeMetadata, type Actor, type SchemaType } from "~/server/catalog";
import { AppError, describeError } from "~/server/errors";
import { describeRegistry, fetchSubjects, fetchSubjectVersion, postSchema, type ExternalRegistry } from "~/server/registry/client";
import { schemaRegistryOf } from "~/server/services/clusters/clusters";
import { checkEventTypeName, checkTopicName } from "./event-types";
import { schemaTypeOf } from "./external-registry";
import { parseSchema } from "./formats";

/** Subjects listed at most; a registry with more says so (Apicurio's ccompat API caps its own list at 1,000 too). */
export const EXTERNAL_SUBJECTS_MAX = 500;

export interface ExternalSubject {
  subject: string;
  /** The latest version as the registry gives it; null when it could not be read (see `error`). */
  latest: { version: number; id: number; schemaType: SchemaType | string; schema: string } | null;
  error: string | null;
  /** What Signalbox's catalog says of the event type of the same name (the subject, or `<topic>-value`'s event type); null when nothing. */
  catalog: { domain: string; owner: string; description: string; topics: string[] } | null;
}

export interface ExternalSubjectListing {
  cluster: string;
  registryUrl: string;
  subjects: ExternalSubject[];
  /** True when the registry holds more subjects than were read. */
  truncated: boolean;
}

async function requireRegistry(env: Env, clusterName: string): Promise<ExternalRegistry> {
  const registry = await schemaRegistryOf(env, clusterName);
  if (!registry) throw new AppError("BAD_REQUEST", `Cluster ${clusterName} uses Signalbox's own schema registry; name an external one in its configuration (schemaRegistry: { url }) to read it here.`);
  return registry;
}

/** The registry's subjects with each latest version, beside the catalog's metadata. Null when the cluster uses Signalbox's own registry. */
export async function listExternalSubjects(env: Env, clusterName: string): Promise<ExternalSubjectListing | null> {
  const registry = await schemaRegistryOf(env, clusterName);
  if (!registry) return null;
  const all = (await fetchSubjects(registry)).filter((s) => typeof s === "string").sort((a, b) => a.localeCompare(b));
  const names = all.slice(0, EXTERNAL_SUBJECTS_MAX);
  type Read = { ok: true; latest: NonNullable<ExternalSubject["latest"]> } | { ok: false; error: string };
  const latest = await mapLimited(names, 8, async (subject): Promise<Read> => {
    try {
      const answer = await fetchSubjectVersion(registry, subject, "latest");
      return { ok: true, latest: { version: answer.version ?? 0, id: answer.id ?? 0, schemaType: schemaTypeOf(answer) ?? answer.schemaType ?? "unknown", schema: answer.schema } };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  });
  const eventTypeOf = (subject: string) => subject.replace(/-value$/, "");
  const metadata = await listEventTypeMetadata([...new Set(names.flatMap((s) => [s, eventTypeOf(s)]))]);
  const byName = new Map(metadata.map((m) => [m.name, m]));
  return {
    cluster: clusterName,
    registryUrl: registry.url,
    truncated: all.length > names.length,
    subjects: names.map((subject, i) => {
      const read = latest[i]!;
      const meta = byName.get(subject) ?? byName.get(eventTypeOf(subject));
      return {
        subject,
        latest: read.ok ? read.latest : null,
        error: read.ok ? null : read.error,
        catalog: meta ? { domain: meta.domain, owner: meta.owner, description: meta.description, topics: meta.topics.filter((t) => t.clusterName === clusterName).map((t) => t.topic) } : null,
      };
    }),
  };
}

export interface ExternalRegistration {
  subject: string;
  schemaType: SchemaType;
  schema: string;
  domain: string;
  owner: string;
  description: string;
  /** A topic of the cluster this event type travels on; bound in the catalog. */
  topic?: string | null;
}

/**
 * Registers a schema in the cluster's external registry (its compatibility rules decide), then records
 * in Signalbox's catalog the event type's metadata and topic binding, audited. The schema is checked
 * here first, so a typo is refused with Signalbox's words before the registry is asked.
 */
export async function registerThroughSignalbox(actor: Actor, env: Env, clusterName: string, input: ExternalRegistration): Promise<{ id: number; subject: string; created: boolean }> {
  const registry = await requireRegistry(env, clusterName);
  checkEventTypeName(input.subject);
  if (input.topic) checkTopicName(input.topic);
  const domain = input.domain.trim();
  const owner = input.owner.trim();
  if (!domain || !owner) throw new AppError("BAD_REQUEST", "Domain and owner are required: they are what Signalbox's catalog adds to the registry's subject.");
  const parsed = parseSchema(input.schemaType, input.schema);
  // A schema with references is checked by the registry alone (it holds what they name).
  if (!parsed.ok) throw new AppError("BAD_REQUEST", `The schema is not valid ${input.schemaType}: ${parsed.problems.join("; ")}`);
  let id: number;
  try {
    id = await postSchema(registry, input.subject, { schema: input.schema, schemaType: input.schemaType });
  } catch (error) {
    throw error instanceof AppError ? error : new AppError("BROKER_ERROR", `${describeRegistry(registry)}: ${describeError(error)}`);
  }
  const { created } = await upsertEventTypeMetadata(input.subject, { domain, owner, description: input.description.trim() }, input.topic ? [{ clusterName, topic: input.topic }] : [], (created) => ({
    actor,
    action: "schema.register.external",
    targetType: "eventType",
    targetId: input.subject,
    details: { cluster: clusterName, registry: registry.url, schemaId: id, schemaType: input.schemaType, domain, owner, topic: input.topic ?? null, catalogEntryCreated: created },
  }));
  return { id, subject: input.subject, created };
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}
