// Schemas from a cluster's external registry (docs/schemas.md, "External registries"): read by id,
// with their references resolved through the same registry, parsed once and kept in a bounded cache
// keyed by cluster, registry and id (an id always names the same schema in one registry). A failure is kept
// for a few seconds too, so a page of records from an unreachable registry costs one attempt, and
// every record shows the same clear reason.
import { AppError, describeError } from "~/server/errors";
import { fetchSchemaById, fetchSubjectVersion, type ExternalRegistry, type RegistrySchema } from "~/server/registry/client";
import type { SchemaType } from "~/server/catalog";
import { parseSchema, type AnyParsedSchema } from "./formats";
import type { ResolvedReference } from "./resolved-reference";

export const EXTERNAL_CACHE_MAX = 1000;
const FAILURE_RETRY_MS = 10_000;
/** References nest; a registry that answers a cycle or an endless chain must not keep Signalbox busy. */
const MAX_REFERENCES = 100;

export type ExternalLookup = { ok: true; schema: AnyParsedSchema } | { ok: false; problem: string };

const parsedById = new Map<string, AnyParsedSchema>();
const failedById = new Map<string, { at: number; problem: string }>();
const inFlight = new Map<string, Promise<ExternalLookup>>();

export function schemaTypeOf(answer: Pick<RegistrySchema, "schemaType">): SchemaType | null {
  const type = (answer.schemaType ?? "AVRO").toUpperCase();
  return type === "AVRO" || type === "JSON" || type === "PROTOBUF" ? type : null;
}

/** The references a schema names, fetched from the registry, dependencies first (each once). */
export async function resolveExternalReferences(registry: ExternalRegistry, references: RegistrySchema["references"]): Promise<ResolvedReference[]> {
  const resolved: ResolvedReference[] = [];
  const seen = new Set<string>();
  const visit = async (refs: RegistrySchema["references"], depth: number): Promise<void> => {
    for (const ref of refs ?? []) {
      const key = `${ref.subject}\u0000${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size > MAX_REFERENCES || depth > 20) throw new AppError("BAD_REQUEST", `the schema's references nest deeper or wider than Signalbox follows (${MAX_REFERENCES} schemas, 20 levels)`);
      const answer = await fetchSubjectVersion(registry, ref.subject, ref.version === -1 ? "latest" : ref.version);
      await visit(answer.references, depth + 1);
      const schemaType = schemaTypeOf(answer);
      if (!schemaType) throw new AppError("BAD_REQUEST", `the reference ${ref.subject} version ${ref.version} is of type ${answer.schemaType}, which Signalbox does not read`);
      resolved.push({ name: ref.name, schemaType, schema: answer.schema });
    }
  };
  await visit(references, 0);
  return resolved;
}

/** A registry answer parsed with Signalbox's formats, its references fetched. */
export async function parseExternalSchema(registry: ExternalRegistry, answer: RegistrySchema, what: string): Promise<ExternalLookup> {
  const schemaType = schemaTypeOf(answer);
  if (!schemaType) return { ok: false, problem: `${what} is of type ${answer.schemaType}, which Signalbox does not decode (it reads AVRO, PROTOBUF and JSON)` };
  if (typeof answer.schema !== "string") return { ok: false, problem: `${what}: the registry's answer holds no schema text` };
  const references = await resolveExternalReferences(registry, answer.references);
  const parsed = parseSchema(schemaType, answer.schema, references);
  if (!parsed.ok) return { ok: false, problem: `${what} does not parse as ${schemaType}: ${parsed.problems.join("; ")}` };
  return { ok: true, schema: parsed };
}

/**
 * The schema an id names in the cluster's external registry. Never throws: a failure comes back as a
 * problem that names the registry and the reason (unreachable, refused credentials, unknown id).
 */
export async function externalSchemaById(registry: ExternalRegistry, schemaId: number, now = Date.now()): Promise<ExternalLookup> {
  // Per cluster too: a cluster whose credentials the registry refuses must not read what another cluster's were allowed to.
  const key = `${registry.cluster}\u0000${registry.url}\u0000${schemaId}`;
  const hit = parsedById.get(key);
  if (hit) {
    // Least recently used goes first: a hit moves to the end.
    parsedById.delete(key);
    parsedById.set(key, hit);
    return { ok: true, schema: hit };
  }
  const failed = failedById.get(key);
  if (failed && now - failed.at < FAILURE_RETRY_MS) return { ok: false, problem: failed.problem };
  let loading = inFlight.get(key);
  if (!loading) {
    loading = (async (): Promise<ExternalLookup> => {
      let outcome: ExternalLookup;
      try {
        outcome = await parseExternalSchema(registry, await fetchSchemaById(registry, schemaId), `Schema id ${schemaId} of the schema registry of cluster ${registry.cluster}`);
      } catch (error) {
        outcome = { ok: false, problem: `Schema id ${schemaId} could not be read: ${describeError(error)}` };
      }
      if (outcome.ok) {
        if (parsedById.size >= EXTERNAL_CACHE_MAX) parsedById.delete(parsedById.keys().next().value!);
        parsedById.set(key, outcome.schema);
        failedById.delete(key);
      } else {
        if (failedById.size >= EXTERNAL_CACHE_MAX) failedById.delete(failedById.keys().next().value!);
        failedById.set(key, { at: now, problem: outcome.problem });
      }
      return outcome;
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, loading);
  }
  return loading;
}

/** How many parsed schemas the cache holds (for tests of its bound). */
export const externalCacheSize = () => parsedById.size;

/** Forgets every cached schema and failure (tests). */
export function clearExternalCache(): void {
  parsedById.clear();
  failedById.clear();
}
