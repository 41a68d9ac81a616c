// Integration: payload masking on a real broker, through the tRPC caller as each role would call it.
// A payment with a card number goes to a topic a policy covers; support (not in the policy's
// visibleTo) gets it masked in the browser, the single message, trace, the replay sample and the DLQ
// views, and cannot find it by filtering for the number; admin reads it clear. An edited redrive
// keeps the clear number in what it writes and masks it in the audit log.
import { beforeAll, describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { createProducer, ensureTopics } from "~/server/broker";
import { listAudit, listDlqStates, type Actor } from "~/server/catalog";
import { catchUpDlqIndex } from "~/server/services/dlq/indexer";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { MASK_MARKER } from "~/server/services/masking/masking";

const run = `it-mask-${Date.now()}`;
const payments = `${run}-payments`;
// Matches the default DLQ pattern "dlq.*" but not the policy: its records are masked under their original topic's policy.
const dlq = `dlq.${run}`;
const CARD = "4111111111111111";
// Not digits alone: "987" also turned up inside a record's timestamp (1796538817987) and failed the test.
const CVV = "secret-cvv-987";
const correlationId = `corr-${run}`;

// Set before anything reads the configuration (getEnv parses it once per test file).
const previousPolicies = process.env.MASKING_POLICIES;
process.env.MASKING_POLICIES = JSON.stringify([{ name: "card numbers", topics: `${run}-pay*`, paths: ["data.card.number", "data.items[*].cvv"], visibleTo: ["architect"] }]);

const support: Actor = { email: "support-mask-it@signalbox.local", name: "Support", role: "support" };
const admin: Actor = { email: "admin-mask-it@signalbox.local", name: "Admin", role: "admin" };

const payment = { eventId: `pay-${run}`, eventType: "PaymentAuthorized", data: { amount: 12.5, card: { number: CARD, brand: "visa" }, items: [{ sku: "a", cvv: CVV }] }, metadata: { correlationId } };

async function collect<T extends { type: string }>(stream: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

beforeAll(async () => {
  await ensureTopics(cluster(), [
    { topic: payments, numPartitions: 1 },
    { topic: dlq, numPartitions: 1 },
  ]);
  const producer = await createProducer(cluster());
  await producer.send(payments, [{ key: "p1", value: JSON.stringify(payment) }]);
  await producer.send(dlq, [{ key: "p1", value: JSON.stringify(payment), headers: signalboxDlqHeaders({ topic: payments, partition: 0, offset: "0" }, { errorClass: "Declined", message: "card declined", attempts: 1 }) }]);
  await producer.disconnect();
  // What the worker's DLQ index loop does (only the worker writes the index).
  await catchUpDlqIndex(cluster(), dlq);
});

closeConnectionsAfterAll(async () => {
  if (previousPolicies === undefined) delete process.env.MASKING_POLICIES;
  else process.env.MASKING_POLICIES = previousPolicies;
});

const cluster = () => clusterFromEnv(getEnv());

async function browse(actor: Actor, filter?: { text?: string; jsonPath?: string; jsonValue?: string }) {
  const caller = await callerAs(actor);
  const events = await collect(await caller.messages.scan({ topic: payments, start: { kind: "earliest" }, limit: 10, filter }));
  return events.flatMap((e) => (e.type === "messages" ? e.messages : []));
}

describe("payload masking", () => {
  it("masks the browser page, the single message and the trace for support, and nothing leaks", async () => {
    const caller = await callerAs(support);
    const page = await browse(support);
    expect(page).toHaveLength(1);
    const shown = JSON.parse(page[0]!.value.text) as typeof payment;
    expect(shown.data.card).toEqual({ number: MASK_MARKER, brand: "visa" });
    expect(shown.data.items[0]).toEqual({ sku: "a", cvv: MASK_MARKER });
    expect(shown.data.amount).toBe(12.5);

    const single = await caller.messages.message({ topic: payments, partition: 0, offset: 0 });
    const traced = await collect(await caller.messages.trace({ id: correlationId, from: Date.now() - 3_600_000, to: Date.now() + 60_000, topics: [payments] }));
    const done = traced.find((e) => e.type === "done");
    expect(done?.type === "done" && done.result.timeline.map((e) => e.eventId)).toEqual([payment.eventId]);
    for (const result of [page, single, traced]) {
      const serialized = JSON.stringify(result);
      expect(serialized).not.toContain(CARD);
      expect(serialized).not.toContain(CVV);
    }
    expect(JSON.stringify(single)).toContain(MASK_MARKER);
  });

  it("does not let support find a record by the masked value", async () => {
    expect(await browse(support, { text: CARD })).toEqual([]);
    expect(await browse(support, { jsonPath: "data.card.number", jsonValue: CARD })).toEqual([]);
    expect(await browse(admin, { text: CARD })).toHaveLength(1);
  });

  it("shows admin the clear value", async () => {
    const caller = await callerAs(admin);
    const [message] = await browse(admin);
    expect(message!.value.text).toContain(CARD);
    expect((await caller.messages.message({ topic: payments, partition: 0, offset: 0 })).value.text).toContain(CVV);
    expect(await caller.masking.policies()).toEqual([{ name: "card numbers", topics: `${run}-pay*`, paths: ["data.card.number", "data.items[*].cvv"], visibleTo: ["admin", "architect"] }]);
  });

  it("masks the replay dry-run sample", async () => {
    const caller = await callerAs(support);
    const events = await collect(await caller.replay.dryRun({ sourceTopic: payments, range: { kind: "time", from: 0, to: Date.now() + 60_000 }, targetTopic: payments }));
    const done = events.find((e) => e.type === "done");
    expect(done?.type === "done" && done.plan.sample).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(CARD);
  });

  it("masks DLQ lists and the record view under the original topic's policy; an edited redrive keeps the number and the audit log does not", async () => {
    const caller = await callerAs(support);
    const groups = await caller.dlq.groups({ topic: dlq });
    expect(groups.groups[0]?.sample).toHaveLength(1);
    const detail = await caller.dlq.message({ topic: dlq, partition: 0, offset: 0 });
    for (const result of [groups, detail]) expect(JSON.stringify(result)).not.toContain(CARD);
    expect((await (await callerAs(admin)).dlq.message({ topic: dlq, partition: 0, offset: 0 })).message.value.text).toContain(CARD);

    // Support edits what they see: the amount changes, the masked fields still show the marker.
    const edited = JSON.parse(detail.message.value.text) as typeof payment;
    edited.data.amount = 13;
    const job = await caller.dlq.editAndRedrive({ topic: dlq, partition: 0, offset: 0, value: JSON.stringify(edited) });
    const [state] = await listDlqStates(cluster().name, dlq);
    const written = JSON.parse(state!.editAfter!) as typeof payment;
    expect(written.data).toMatchObject({ amount: 13, card: { number: CARD }, items: [{ cvv: CVV }] });

    const audit = (await listAudit({ limit: 200 })).find((a) => a.action === "dlq.edit-redrive" && a.targetId === `${dlq}/0/0`);
    expect(audit?.details).toMatchObject({ jobId: job.id });
    expect(JSON.stringify(audit)).not.toContain(CARD);
    expect(JSON.stringify(audit)).not.toContain(CVV);
    expect(JSON.stringify((await caller.dlq.message({ topic: dlq, partition: 0, offset: 0 })).state)).not.toContain(CARD);
  });
});
