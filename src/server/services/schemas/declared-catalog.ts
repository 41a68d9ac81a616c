// Applies a declared catalog (the demo's services and event types) to the catalog database.
// Idempotent: what exists is left alone, what is missing is added, and one audit entry says what.
import {
  ensureProducer,
  ensureService,
  ensureSubscription,
  writeAudit,
  type Actor,
  type SchemaType,
  type ServiceInput,
} from "~/server/catalog";
import { registerSchema } from "./event-types";

export interface DeclaredService extends Omit<ServiceInput, "links"> {
  links?: ServiceInput["links"];
  produces: { eventType: string; topic: string }[];
  consumes: { topic: string; groupId: string }[];
}

export interface DeclaredEventType {
  name: string;
  domain: string;
  owner: string;
  description: string;
  topic: string;
  /** Version 1 first; each later version must be compatible with the earlier ones. JSON schemas as objects, a .proto file as text. */
  versions: (object | string)[];
  /** JSON Schema when absent. */
  schemaType?: SchemaType;
}


export interface DeclaredCatalogResult {
  servicesCreated: string[];
  eventTypesCreated: string[];
  versionsCreated: string[];
  refused: string[];
  producersCreated: number;
  subscriptionsCreated: number;
}

export async function applyDeclaredCatalog(
  actor: Actor,
  clusterName: string,
  declared: { services: DeclaredService[]; eventTypes: DeclaredEventType[] },
): Promise<DeclaredCatalogResult> {
  const result: DeclaredCatalogResult = { servicesCreated: [], eventTypesCreated: [], versionsCreated: [], refused: [], producersCreated: 0, subscriptionsCreated: 0 };

  for (const service of declared.services) {
    if (await ensureService({ name: service.name, team: service.team, description: service.description, links: service.links ?? [] })) result.servicesCreated.push(service.name);
  }

  for (const type of declared.eventTypes) {
    for (const schema of type.versions) {
      const outcome = await registerSchema(actor, type.name, typeof schema === "string" ? schema : JSON.stringify(schema, null, 2), {
        create: { domain: type.domain, owner: type.owner, description: type.description, compatibility: null, topics: [{ clusterName, topic: type.topic }] },
        source: "seed",
        schemaType: type.schemaType,
      });
      if (outcome.status === "created") {
        if (outcome.version === 1) result.eventTypesCreated.push(type.name);
        result.versionsCreated.push(`${type.name} v${outcome.version}`);
      }
      // A declared version that no longer fits what an architect changed since is skipped, not forced.
      if (outcome.status === "incompatible") result.refused.push(`${type.name}: ${outcome.reasons.map((r) => r.message).join("; ")}`);
      if (outcome.status === "invalid") result.refused.push(`${type.name}: ${outcome.problems.join("; ")}`);
    }
  }

  const typesOnTopic = (topic: string) => declared.eventTypes.filter((t) => t.topic === topic).map((t) => t.name);
  for (const service of declared.services) {
    for (const p of service.produces) if (await ensureProducer(service.name, p.eventType)) result.producersCreated += 1;
    for (const c of service.consumes) {
      for (const eventTypeName of typesOnTopic(c.topic)) {
        if (await ensureSubscription({ serviceName: service.name, eventTypeName, clusterName, topic: c.topic, consumerGroupId: c.groupId })) result.subscriptionsCreated += 1;
      }
    }
  }

  const changed = result.servicesCreated.length + result.versionsCreated.length + result.producersCreated + result.subscriptionsCreated > 0;
  if (changed) await writeAudit({ actor, action: "schema-catalog.seed", targetType: "schema-catalog", targetId: clusterName, details: { ...result } });
  return result;
}
