// Integration: the permission matrix. Every procedure of the router is called as an anonymous
// caller, a signed-in person without a role, and each role; each call must be refused or let through
// exactly as RULES says. A procedure that is missing from RULES fails the test, so a new procedure
// cannot ship without a decision about who may call it.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../scripts/lib/test-support";
import { type Actor, type Role } from "~/server/catalog";
import { ROLES } from "~/server/catalog/types";
import { hasRole } from "~/server/services/auth/roles";
import { appRouter, createCaller } from "./root";
import { createTRPCContext } from "./trpc";

type Rule = Role | "authenticated";

/** Who may call each procedure. "authenticated": anyone signed in, with or without a role. */
const RULES: Record<string, Rule> = {
  "overview.get": "viewer",
  "overview.live": "viewer",
  "clusters.list": "viewer",
  "clusters.home": "viewer",
  "clusters.create": "admin",
  "clusters.update": "admin",
  "clusters.remove": "admin",
  "clusters.test": "admin",
  "users.me": "authenticated",
  "users.signOutEverywhere": "authenticated",
  "users.list": "admin",
  "users.create": "admin",
  "users.setRole": "admin",
  "users.setDisabled": "admin",
  "users.resetPassword": "admin",
  "tokens.list": "admin",
  "tokens.create": "admin",
  "tokens.revoke": "admin",
  "bindings.list": "admin",
  "bindings.create": "admin",
  "bindings.remove": "admin",
  "audit.list": "viewer",
  "masking.policies": "admin",
  "lag.sampler": "viewer",
  "lag.statusRules": "viewer",
  "lag.topics": "viewer",
  "lag.topic": "viewer",
  "lag.topicHistory": "viewer",
  "lag.groups": "viewer",
  "lag.group": "viewer",
  "lag.groupHistory": "viewer",
  "live.events": "viewer",
  "alerts.list": "viewer",
  "alerts.rules": "viewer",
  "alerts.createRule": "operator",
  "alerts.setRuleEnabled": "operator",
  "alerts.deleteRule": "operator",
  "topology.graph": "viewer",
  "topology.declareSubscription": "architect",
  "topology.declareProducer": "architect",
  "messages.topics": "viewer",
  "messages.partitions": "viewer",
  "messages.scan": "viewer",
  "messages.tail": "viewer",
  "messages.message": "viewer",
  "messages.trace": "viewer",
  "replay.dryRun": "support",
  "replay.start": "support",
  "dlq.overview": "viewer",
  "dlq.summaries": "viewer",
  "dlq.history": "viewer",
  "dlq.groups": "viewer",
  "dlq.message": "viewer",
  "dlq.checkEdit": "viewer",
  "dlq.redrive": "support",
  "dlq.editAndRedrive": "support",
  "dlq.discard": "support",
  "dlq.indexStatus": "viewer",
  "dlq.topics": "viewer",
  "dlq.declare": "architect",
  "dlq.undeclare": "architect",
  "jobs.list": "viewer",
  "jobs.get": "viewer",
  "jobs.pause": "support",
  "jobs.resume": "support",
  "jobs.cancel": "support",
  "groupOffsets.preview": "viewer",
  "groupOffsets.reset": "support",
  "groups.delete": "support",
  "produce.check": "support",
  "produce.send": "support",
  "topics.defaults": "operator",
  "topics.config": "viewer",
  "topics.validate": "operator",
  "topics.create": "operator",
  "topics.alterConfig": "operator",
  "topics.addPartitions": "operator",
  "topics.purge": "operator",
  "topics.delete": "operator",
  "schemas.list": "viewer",
  "schemas.get": "viewer",
  "schemas.compare": "viewer",
  "schemas.services": "viewer",
  "schemas.check": "viewer",
  "schemas.register": "architect",
  "schemas.addVersion": "architect",
  "schemas.setCompatibility": "architect",
  "schemas.setGlobalCompatibility": "architect",
  "schemas.bindTopics": "architect",
  "schemas.checkConformance": "architect",
  "schemas.deleteVersion": "architect",
  "schemas.deleteEventType": "architect",
  "schemas.external": "viewer",
  "schemas.registerExternal": "architect",
  "brokers.list": "viewer",
  "brokers.get": "viewer",
  "brokers.alterConfig": "admin",
  "acls.list": "operator",
  "acls.explain": "operator",
  "acls.create": "admin",
  "acls.delete": "admin",
  "connect.list": "viewer",
  "connect.connector": "viewer",
  "connect.create": "admin",
  "connect.pause": "operator",
  "connect.resume": "operator",
  "connect.restart": "operator",
  "connect.delete": "admin",
  "outbox.overview": "viewer",
  "flows.list": "viewer",
  "flows.get": "viewer",
  "flows.proposals": "viewer",
  "flows.declare": "architect",
  "flows.change": "architect",
  "flows.remove": "architect",
};

/**
 * Procedures on no one cluster: a role bound to other clusters still reaches them. Every other
 * procedure acts on the call's cluster and needs the role there.
 */
const GLOBAL = new Set([
  "clusters.list",
  "clusters.home",
  "live.events",
  "audit.list",
  "schemas.list",
  "schemas.get",
  "schemas.compare",
  "schemas.services",
  "schemas.check",
  "schemas.addVersion",
  "schemas.setCompatibility",
  "schemas.setGlobalCompatibility",
  "schemas.deleteVersion",
  "schemas.deleteEventType",
]);

const ACTORS: { label: string; actor: Actor | null }[] = [
  { label: "anonymous", actor: null },
  { label: "no role", actor: { email: "matrix-norole@signalbox.local", name: "No role", role: null } },
  ...ROLES.map((role) => ({ label: role, actor: { email: `matrix-${role}@signalbox.local`, name: `Matrix ${role}`, role } as Actor })),
];

function allowed(rule: Rule, actor: Actor | null): boolean {
  if (!actor) return false;
  return rule === "authenticated" ? true : hasRole(actor.role, rule);
}

/** Whether the call was refused by the access check (not by its input or its own rules). */
async function refusedByAccess(path: string, actor: Actor | null, cluster?: string): Promise<boolean> {
  const caller = createCaller(await createTRPCContext({ headers: new Headers(), actor, cluster }));
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input?: unknown) => Promise<unknown>;
  try {
    const result = await fn(undefined);
    // A subscription hands back its stream once the middlewares passed: close it.
    const stream = result as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> } | null;
    if (stream && typeof stream === "object" && Symbol.asyncIterator in stream) await stream[Symbol.asyncIterator]!().return?.();
    return false;
  } catch (error) {
    if (!(error instanceof TRPCError)) return false;
    if (error.code === "UNAUTHORIZED") return true;
    return error.code === "FORBIDDEN" && /needs the \w+ role|has no role|does not have it on that cluster/.test(error.message);
  }
}

closeConnectionsAfterAll();

const procedures = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures).sort();

describe("permission matrix", () => {
  it("has a rule for every procedure, and no rule for a procedure that does not exist", () => {
    expect(procedures.filter((p) => !(p in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((p) => !procedures.includes(p))).toEqual([]);
  });

  it.each(procedures)("%s refuses and allows exactly as its rule says", async (path) => {
    const rule = RULES[path]!;
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const { label, actor } of ACTORS) {
      outcome[label] = (await refusedByAccess(path, actor)) ? "refused" : "allowed";
      expected[label] = allowed(rule, actor) ? "allowed" : "refused";
    }
    expect(outcome).toEqual(expected);
  });
});

describe("cluster scope", () => {
  // The integration stack's one cluster is "integration"; this architect holds its role only on prod-*.
  const elsewhere: Actor = {
    email: "matrix-prod-architect@signalbox.local",
    name: "Prod architect",
    role: null,
    grants: [{ role: "architect", scope: { clusters: ["prod-*"], topics: [], groups: [], subjects: [] }, source: "binding test" }],
  };

  it.each(procedures)("%s reaches a role bound to other clusters only when it is global", async (path) => {
    const rule = RULES[path]!;
    const expected = rule === "authenticated" || (GLOBAL.has(path) && hasRole("architect", rule as Role)) ? "allowed" : "refused";
    expect((await refusedByAccess(path, elsewhere, "integration")) ? "refused" : "allowed").toBe(expected);
  });

  it("refuses a cluster it does not know, naming it, once the caller is signed in", async () => {
    const headers = new Headers({ "x-signalbox-cluster": "nowhere" });
    const signedIn = createCaller(await createTRPCContext({ headers, actor: ACTORS[2]!.actor }));
    await expect(signedIn.lag.topics()).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/No cluster named "nowhere"/) });
    // Anonymous: asked to sign in, whatever the name, so no one learns which clusters exist.
    const anonymous = createCaller(await createTRPCContext({ headers, actor: null }));
    await expect(anonymous.lag.topics()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const anonymousKnown = createCaller(await createTRPCContext({ headers: new Headers({ "x-signalbox-cluster": "integration" }), actor: null }));
    await expect(anonymousKnown.lag.topics()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("names the cluster when a binding does not reach it", async () => {
    const caller = createCaller(await createTRPCContext({ headers: new Headers(), actor: elsewhere, cluster: "integration" }));
    await expect(caller.lag.topics()).rejects.toThrow(/on cluster integration needs the viewer role there/);
  });
});
