// Integration: binding topics to an event type and removing the bindings, through the router (as the
// event type's page calls it) and the service: architects only, all or none, audited in the same
// transaction, a clear error for a binding that does not exist, and the registry's `<topic>-value`
// subjects following the bindings while every schema stays under the event type's own subject.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { listAudit, setRegistryMode, type Actor } from "~/server/catalog";
import { bindTopics, unbindTopics } from "./event-types";
import { listSubjects, resolveSubject } from "./subjects";

const run = Date.now().toString(36);
const viewer: Actor = { email: "viewer@signalbox.local", name: "Vic", role: "viewer" };
const operator: Actor = { email: "operator@signalbox.local", name: "Opal", role: "operator" };
const architect: Actor = { email: "architect@signalbox.local", name: "Ari", role: "architect" };
const CLUSTER = "integration";
const closed = (properties: Record<string, unknown>) => JSON.stringify({ type: "object", additionalProperties: false, properties });

closeConnectionsAfterAll();

const auditOf = async (name: string, action: string) => (await listAudit({ limit: 200 })).filter((a) => a.targetId === name && a.action === action);

describe("schemas.bindTopics and schemas.unbindTopics", () => {
  const name = `Bound${run}`;
  const other = `Sharing${run}`;
  const topic = `it-bind-${run}`;
  const shared = `it-shared-${run}`;
  const longTopic = `it-${"very-long-topic-name.".repeat(10)}${run}`.slice(0, 249);

  it("binds for an architect only; the topic answers as <topic>-value; audited once per change", async () => {
    const asArchitect = await callerAs(architect);
    await asArchitect.schemas.register({ name, domain: "d", owner: "o", description: "", topics: [], compatibility: null, schema: closed({ a: { type: "string" } }) });

    for (const actor of [viewer, operator]) {
      const refused = await (await callerAs(actor)).schemas.bindTopics({ name, topics: [topic] }).catch((e: unknown) => e);
      expect((refused as TRPCError).code).toBe("FORBIDDEN");
    }
    expect(await asArchitect.schemas.bindTopics({ name, topics: [topic, longTopic, topic] })).toEqual([
      { clusterName: CLUSTER, topic },
      { clusterName: CLUSTER, topic: longTopic },
    ]);
    // Binding again changes nothing and writes no second entry.
    expect(await asArchitect.schemas.bindTopics({ name, topics: [topic] })).toEqual([]);
    expect((await asArchitect.schemas.get({ name })).topics.map((t) => t.topic).sort()).toEqual([topic, longTopic].sort());
    expect(await listSubjects(CLUSTER)).toEqual(expect.arrayContaining([name, `${topic}-value`, `${longTopic}-value`]));
    expect(await resolveSubject(`${topic}-value`, CLUSTER)).toEqual({ kind: "event-type", eventType: name });
    const binds = await auditOf(name, "event-type.topics.bind");
    expect(binds).toHaveLength(1);
    expect(binds[0]!.details).toEqual({ topics: [{ clusterName: CLUSTER, topic }, { clusterName: CLUSTER, topic: longTopic }] });
  });

  it("refuses a binding that does not exist, naming what is bound, and changes nothing", async () => {
    const asArchitect = await callerAs(architect);
    const refused = (await asArchitect.schemas.unbindTopics({ name, topics: [topic, "not-bound-here"] }).catch((e: unknown) => e)) as TRPCError;
    expect(refused.code).toBe("NOT_FOUND");
    expect(refused.message).toContain(`${name} is not bound to 'not-bound-here' on cluster ${CLUSTER}`);
    expect(refused.message).toContain(`'${topic}'`);
    expect((await asArchitect.schemas.get({ name })).topics).toHaveLength(2);
    await expect(asArchitect.schemas.unbindTopics({ name: `NoSuch${run}`, topics: [topic] })).rejects.toThrow(/No event type named/);
    await expect(asArchitect.schemas.unbindTopics({ name, topics: ["bad topic!"] })).rejects.toThrow(/not a valid Kafka topic name/);
    for (const actor of [viewer, operator]) {
      const denied = await (await callerAs(actor)).schemas.unbindTopics({ name, topics: [topic] }).catch((e: unknown) => e);
      expect((denied as TRPCError).code).toBe("FORBIDDEN");
    }
    expect(await auditOf(name, "event-type.topics.unbind")).toHaveLength(0);
  });

  it("a READONLY <topic>-value subject refuses the unbinding, as it refuses deletes", async () => {
    await setRegistryMode({ subject: `${topic}-value` }, "READONLY", architect);
    try {
      await expect((await callerAs(architect)).schemas.unbindTopics({ name, topics: [topic] })).rejects.toThrow(new RegExp(`Subject '${topic}-value' is in READONLY mode`));
    } finally {
      await setRegistryMode({ subject: `${topic}-value` }, null, architect);
    }
  });

  it("a permanent delete is refused while bound and says to unbind; unbinding the last topic removes <topic>-value, not the schemas", async () => {
    const asArchitect = await callerAs(architect);
    await asArchitect.schemas.deleteEventType({ name });
    const bound = (await asArchitect.schemas.deleteEventType({ name, permanent: true }).catch((e: unknown) => e)) as TRPCError;
    expect(bound.message).toMatch(/still bound to topic/);
    expect(bound.message).toMatch(/Unbind the topic first/);

    expect(await asArchitect.schemas.unbindTopics({ name, topics: [topic, longTopic] })).toEqual({
      removed: [
        { clusterName: CLUSTER, topic },
        { clusterName: CLUSTER, topic: longTopic },
      ],
      subjectsRemoved: [`${topic}-value`, `${longTopic}-value`],
      subjectsReassigned: [],
    });
    const view = await asArchitect.schemas.get({ name });
    expect(view.topics).toEqual([]);
    // The versions are all there, soft-deleted as before, under the event type's own subject.
    expect(view.versions.map((v) => [v.version, v.deletedAt !== null])).toEqual([[1, true]]);
    expect(await listSubjects(CLUSTER, { includeDeleted: true })).toContain(name);
    expect(await listSubjects(CLUSTER, { includeDeleted: true })).not.toContain(`${topic}-value`);
    expect(await resolveSubject(`${topic}-value`, CLUSTER)).toEqual({ kind: "unknown", topic });

    const entries = await auditOf(name, "event-type.topics.unbind");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorEmail: architect.email, targetType: "event-type" });
    expect(entries[0]!.details).toMatchObject({ topics: [{ clusterName: CLUSTER, topic }, { clusterName: CLUSTER, topic: longTopic }], subjectsRemoved: [`${topic}-value`, `${longTopic}-value`] });

    // Now nothing holds it: the permanent delete goes through.
    expect(await asArchitect.schemas.deleteEventType({ name, permanent: true })).toMatchObject({ eventTypeRemoved: true });
  });

  it("unbinding one of two event types on a topic passes <topic>-value to the other (service)", async () => {
    const asArchitect = await callerAs(architect);
    const first = `${other}A`;
    const second = `${other}B`;
    await asArchitect.schemas.register({ name: first, domain: "d", owner: "o", description: "", topics: [shared], compatibility: null, schema: closed({ a: { type: "string" } }) });
    await asArchitect.schemas.register({ name: second, domain: "d", owner: "o", description: "", topics: [], compatibility: null, schema: closed({ b: { type: "string" } }) });
    await bindTopics(architect, CLUSTER, second, [shared]);
    // Two event types on the topic: no <topic>-value subject.
    expect(await resolveSubject(`${shared}-value`, CLUSTER)).toEqual({ kind: "ambiguous", topic: shared, eventTypes: [first, second].sort() });
    expect(await unbindTopics(architect, CLUSTER, first, [shared])).toEqual({
      removed: [{ clusterName: CLUSTER, topic: shared }],
      subjectsRemoved: [],
      subjectsReassigned: [{ subject: `${shared}-value`, eventType: second }],
    });
    expect(await resolveSubject(`${shared}-value`, CLUSTER)).toEqual({ kind: "event-type", eventType: second });
    const [entry] = await auditOf(first, "event-type.topics.unbind");
    expect(entry!.details).toMatchObject({ subjectsReassigned: [{ subject: `${shared}-value`, eventType: second }] });
  });
});
