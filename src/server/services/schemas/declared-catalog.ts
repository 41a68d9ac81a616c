// Applies a declared catalog (the demo's services and event types) to the catalog database.
// Idempotent: what exists is left alone, what is missing is added, and one audit entry says what.
import {
  ensureProducer,
  ensureService,
  ensureSubscription,
  registerSchemaVersion,
  writeAudit,
  type Actor,
  type ServiceInput,
} from "~/server/catalog";
import { fingerprintOf } from "./canonical";

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
  versions: object[];
}

// Until the compatibility checker lands, only an event type's first version is seeded: a first
// version has nothing to be compatible with.
const firstVersionOnly = (earlier: unknown[]) => (earlier.length > 0 ? ["later versions are seeded once compatibility is checked"] : []);

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
    for (const schema of type.versions.slice(0, 1)) {
      const outcome = await registerSchemaVersion({
        eventTypeName: type.name,
        create: {
          eventType: { domain: type.domain, owner: type.owner, description: type.description, compatibility: null },
          topics: [{ clusterName, topic: type.topic }],
        },
        version: { schema: JSON.stringify(schema, null, 2), fingerprint: fingerprintOf(schema), createdBy: actor.email },
        judge: firstVersionOnly,
      });
      if (outcome.kind === "created") {
        if (outcome.eventTypeCreated) result.eventTypesCreated.push(type.name);
        result.versionsCreated.push(`${type.name} v${outcome.version.version}`);
      }
      // A later declared version that no longer fits what an architect changed since is skipped, not forced.
      if (outcome.kind === "refused") result.refused.push(`${type.name}: ${outcome.reasons.join("; ")}`);
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
