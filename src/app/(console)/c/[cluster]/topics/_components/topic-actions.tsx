"use client";

// The dangerous actions on a topic: add partitions, purge records, delete. Each asks for the topic's
// name to be typed; the server refuses Kafka's internal topics and audits every outcome.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCan } from "~/components/auth/actor-context";
import { TypeToConfirm } from "~/components/forms/type-to-confirm";
import { fromLocalInput, toLocalInput } from "~/components/messages/time-input";
import { formatCount } from "~/lib/format";
import { isInternalTopic } from "~/lib/topic-names";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

type Action = "partitions" | "purge" | "delete";
type PurgeKind = "all" | "before-time" | "offset";

export function TopicActions({ topic, partitions, onDeleted }: { topic: string; partitions: number[]; onDeleted: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canAct = useCan("operator", { topics: [topic] });
  const [open, setOpen] = useState<Action | null>(null);
  const [count, setCount] = useState(String(partitions.length + 1));
  const [purgeKind, setPurgeKind] = useState<PurgeKind>("before-time");
  const [time, setTime] = useState(() => toLocalInput(Date.now() - 24 * 60 * 60_000));
  const [purgePartition, setPurgePartition] = useState("0");
  const [purgeOffset, setPurgeOffset] = useState("0");
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.lag.topic.queryKey({ topic }) });
  const grow = useMutation(trpc.topics.addPartitions.mutationOptions({ onSuccess: refresh }));
  const purge = useMutation(trpc.topics.purge.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.topics.delete.mutationOptions({ onSuccess: onDeleted }));

  if (!canAct) return null;
  if (isInternalTopic(topic)) {
    return <p className="muted padded-text">An internal topic: Signalbox does not change it.</p>;
  }

  const close = () => {
    setOpen(null);
    grow.reset();
    purge.reset();
    remove.reset();
  };

  const purgeTarget = (): { kind: "all" } | { kind: "before-time"; timestamp: number } | { kind: "offsets"; offsets: { partition: number; offset: number }[] } =>
    purgeKind === "all" ? { kind: "all" } : purgeKind === "before-time" ? { kind: "before-time", timestamp: fromLocalInput(time) ?? 0 } : { kind: "offsets", offsets: [{ partition: Number(purgePartition), offset: Number(purgeOffset) || 0 }] };

  return (
    <section className="card section flush" data-testid="topic-actions">
      <h2 className="card-title">Administration</h2>
      <div className="topic-actions">
        <button type="button" onClick={() => { close(); setOpen("partitions"); }} data-testid="add-partitions-start">
          Add partitions…
        </button>
        <button type="button" className="danger" onClick={() => { close(); setOpen("purge"); }} data-testid="purge-start">
          Purge records…
        </button>
        <button type="button" className="danger" onClick={() => { close(); setOpen("delete"); }} data-testid="delete-topic-start">
          Delete topic…
        </button>
      </div>

      {open === "partitions" && (
        <div className="padded-text">
          {grow.isSuccess ? (
            <div className="banner ok" role="status" data-testid="add-partitions-done">
              The topic now has {grow.data.after.partitions} partitions (was {grow.data.before.partitions}).
            </div>
          ) : (
            <TypeToConfirm name={topic} title="Add partitions?" action="Add partitions" pending={grow.isPending} error={grow.error ? errorText(grow.error) : null} onConfirm={() => grow.mutate({ topic, partitions: Number(count) })} onCancel={close} testId="add-partitions">
              <label className="field">
                <span>Partitions in total (now {partitions.length}; Kafka never removes partitions)</span>
                <input className="text-input narrow" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} data-testid="add-partitions-count" />
              </label>
              <p className="warn-text" data-testid="key-ordering-warning">
                Keyed records map to a partition by the key&apos;s hash modulo the partition count: after this, most existing keys go to a different partition, so a
                consumer may see a key&apos;s new records before its old ones (ordering per key breaks across the change).
              </p>
            </TypeToConfirm>
          )}
        </div>
      )}

      {open === "purge" && (
        <div className="padded-text">
          {purge.isSuccess ? (
            <div className="banner ok" role="status" data-testid="purge-done">
              Purged {formatCount(purge.data.partitions.reduce((s, p) => s + p.recordsDeleted, 0))} records from {purge.data.partitions.length} partition
              {purge.data.partitions.length === 1 ? "" : "s"}.
            </div>
          ) : (
            <TypeToConfirm name={topic} title="Purge records?" action="Purge records" pending={purge.isPending} error={purge.error ? errorText(purge.error) : null} onConfirm={() => purge.mutate({ topic, target: purgeTarget() })} onCancel={close} testId="purge">
              <div className="control-row">
                <label className="field">
                  <span>Delete</span>
                  <select value={purgeKind} onChange={(e) => setPurgeKind(e.target.value as PurgeKind)} data-testid="purge-kind">
                    <option value="before-time">records older than a time</option>
                    <option value="offset">records before an offset</option>
                    <option value="all">every record</option>
                  </select>
                </label>
                {purgeKind === "before-time" && (
                  <label className="field">
                    <span>Written before</span>
                    <input className="text-input" type="datetime-local" step="1" value={time} onChange={(e) => setTime(e.target.value)} data-testid="purge-time" />
                  </label>
                )}
                {purgeKind === "offset" && (
                  <>
                    <label className="field">
                      <span>Partition</span>
                      <select value={purgePartition} onChange={(e) => setPurgePartition(e.target.value)} data-testid="purge-partition">
                        {partitions.map((p) => (
                          <option key={p} value={p}>
                            {p}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label className="field">
                      <span>Up to offset (exclusive)</span>
                      <input className="text-input narrow" inputMode="numeric" value={purgeOffset} onChange={(e) => setPurgeOffset(e.target.value)} data-testid="purge-offset" />
                    </label>
                  </>
                )}
              </div>
              <p>Kafka deletes the records from the start of each partition (DeleteRecords); consumers behind the new log start jump to it. This cannot be undone.</p>
            </TypeToConfirm>
          )}
        </div>
      )}

      {open === "delete" && (
        <div className="padded-text">
          <TypeToConfirm name={topic} title="Delete this topic?" action="Delete topic" pending={remove.isPending} error={remove.error ? errorText(remove.error) : null} onConfirm={() => remove.mutate({ topic })} onCancel={close} testId="delete-topic">
            Every record and partition of the topic is deleted, and cannot be brought back. Producers with auto-creation on may create it again, empty. The deletion is
            recorded in the audit log. <Link href="/audit">Audit log</Link>
          </TypeToConfirm>
        </div>
      )}
    </section>
  );
}
