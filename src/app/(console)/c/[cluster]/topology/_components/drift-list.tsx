"use client";

// Where the catalog and the broker disagree, each item with the action that fixes it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { DriftFix, DriftItem, DriftKind, Topology } from "~/server/services/topology/types";
import { useTRPC } from "~/trpc/react";

const KIND_TITLE: Record<DriftKind, string> = {
  "undeclared-group": "Consumer groups not in the catalog",
  "undeclared-producer": "Producers not in the catalog",
  "undeclared-topic": "Topics without an event type",
  "subscription-without-group": "Subscriptions with no live group",
  "silent-producer": "Declared producers that sent nothing recently",
  "missing-topic": "Declared topics missing on the broker",
};

const KIND_ORDER: DriftKind[] = ["undeclared-group", "undeclared-producer", "subscription-without-group", "silent-producer", "missing-topic", "undeclared-topic"];

export function DriftList({ topology, onShow }: { topology: Topology | undefined; onShow: (nodeId: string) => void }) {
  const [openFix, setOpenFix] = useState<string | null>(null);
  const groups = useMemo(() => {
    const byKind = new Map<DriftKind, DriftItem[]>();
    for (const item of topology?.drift ?? []) byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
    return KIND_ORDER.filter((k) => byKind.has(k)).map((k) => ({ kind: k, items: byKind.get(k)! }));
  }, [topology]);
  const services = useMemo(() => topology?.nodes.filter((n) => n.type === "service" && n.source !== "observed").map((n) => n.label) ?? [], [topology]);

  if (!topology) return <div className="skeleton" style={{ height: 120 }} />;
  if (topology.drift.length === 0) {
    return (
      <div className="tp-panel empty-state" data-testid="drift-empty">
        <strong>No drift.</strong>
        <p className="small">What the catalog declares matches what the broker shows{topology.producersObservedAt ? "" : " (producers are checked after the worker samples recent messages)"}.</p>
      </div>
    );
  }
  return (
    <div className="tp-panel tp-drift" data-testid="drift-list">
      {groups.map(({ kind, items }) => (
        <section key={kind} className="tp-panel-section">
          <h3>
            {KIND_TITLE[kind]} <span className="tab-count">{items.length}</span>
          </h3>
          <ul className="tp-plain">
            {items.map((item) => (
              <li key={item.id} className="tp-drift-item" data-testid="drift-item" data-kind={item.kind} data-node-id={item.nodeId}>
                <p className="small">{item.message}</p>
                <div className="tp-drift-actions">
                  <button className="link-button" onClick={() => onShow(item.nodeId)} data-testid="drift-show">
                    Show
                  </button>
                  <FixButton fix={item.fix} open={openFix === item.id} onToggle={() => setOpenFix(openFix === item.id ? null : item.id)} />
                </div>
                {openFix === item.id && <FixForm fix={item.fix} services={services} onDone={() => setOpenFix(null)} />}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function FixButton({ fix, open, onToggle }: { fix: DriftFix; open: boolean; onToggle: () => void }) {
  if (fix.action === "open") {
    return (
      <Link href={fix.href} className="small" data-testid="drift-fix">
        {fix.label} →
      </Link>
    );
  }
  return (
    <button className="link-button" onClick={onToggle} aria-expanded={open} data-testid="drift-fix">
      {fix.label}
    </button>
  );
}

function FixForm({ fix, services, onDone }: { fix: DriftFix; services: string[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const initialService = fix.action === "declare-subscription" ? (fix.serviceGuess ?? "") : fix.action === "declare-producer" ? fix.service : "";
  const [service, setService] = useState(initialService);
  const [team, setTeam] = useState("");
  const [eventTypes, setEventTypes] = useState<string[]>(fix.action === "open" ? [] : fix.eventTypes);
  const onSuccess = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.topology.graph.queryKey() });
    onDone();
  };
  const subscription = useMutation(trpc.topology.declareSubscription.mutationOptions({ onSuccess }));
  const producer = useMutation(trpc.topology.declareProducer.mutationOptions({ onSuccess }));
  if (fix.action === "open") return null;
  const pending = subscription.isPending || producer.isPending;
  const error = subscription.error?.message ?? producer.error?.message ?? null;
  const isNewService = service.trim() !== "" && !services.includes(service.trim());

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const ref = { name: service.trim(), team: isNewService ? team.trim() || undefined : undefined };
    if (fix.action === "declare-subscription") subscription.mutate({ service: ref, consumerGroupId: fix.groupId, topics: fix.topics, eventTypes });
    else producer.mutate({ service: ref, eventTypes, topic: fix.topic });
  };

  return (
    <form className="tp-fix-form" onSubmit={submit} data-testid="drift-fix-form">
      <label>
        Service
        <input list="tp-services" value={service} onChange={(e) => setService(e.target.value)} required placeholder="e.g. fraud-service" data-testid="fix-service" />
        <datalist id="tp-services">
          {services.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      {isNewService && (
        <label>
          Team (new service)
          <input value={team} onChange={(e) => setTeam(e.target.value)} placeholder="owning team" data-testid="fix-team" />
        </label>
      )}
      <fieldset>
        <legend>{fix.action === "declare-subscription" ? `Event types it consumes from ${fix.topics.join(", ")}` : `Event types it sends to ${fix.topic}`}</legend>
        {fix.eventTypes.length === 0 && <p className="small warn-text">No event type is bound to these topics or seen in their messages. Register one in Schemas first.</p>}
        {fix.eventTypes.map((t) => (
          <label key={t} className="tp-check">
            <input type="checkbox" checked={eventTypes.includes(t)} onChange={(e) => setEventTypes(e.target.checked ? [...eventTypes, t] : eventTypes.filter((x) => x !== t))} />
            <span className="mono">{t}</span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="error-text small" role="alert" data-testid="fix-error">
          {error}
        </p>
      )}
      <div className="tp-drift-actions">
        <button className="primary" type="submit" disabled={pending || eventTypes.length === 0 || service.trim() === ""} data-testid="fix-submit">
          {pending ? "Saving…" : "Declare"}
        </button>
        <button className="link-button" type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
