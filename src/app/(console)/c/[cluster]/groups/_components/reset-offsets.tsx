"use client";

import { useCan } from "~/components/auth/actor-context";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useState } from "react";
import { fromLocalInput, toLocalInput } from "~/components/messages/time-input";
import type { ResetInput, ResetPreview } from "~/components/messages/types";
import { formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

type TargetKind = ResetInput["target"]["kind"];

const TARGETS: { kind: TargetKind; label: string; tool: string }[] = [
  { kind: "earliest", label: "Earliest", tool: "--to-earliest" },
  { kind: "latest", label: "Latest", tool: "--to-latest" },
  { kind: "timestamp", label: "Timestamp", tool: "--to-datetime" },
  { kind: "offset", label: "Specific offset", tool: "--to-offset" },
  { kind: "shift", label: "Shift by ±N", tool: "--shift-by" },
];

function PreviewTable({ preview }: { preview: ResetPreview }) {
  return (
    <div className="table-scroll">
      <table className="table describe-table" data-testid="reset-preview">
        <thead>
          <tr>
            <th>TOPIC</th>
            <th className="right">PARTITION</th>
            <th className="right">CURRENT-OFFSET</th>
            <th className="right">NEW-OFFSET</th>
            <th className="right">LOG-END-OFFSET</th>
            <th className="right signalbox-col">LAG AFTER</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.partition} data-testid="reset-row" data-partition={r.partition} data-new={r.newOffset}>
              <td className="mono">{r.topic}</td>
              <td className="mono right">{r.partition}</td>
              <td className="mono right">{r.current === null ? "-" : formatCount(r.current)}</td>
              <td className="mono right">
                <strong>{formatCount(r.newOffset)}</strong>
                {r.clamped && <div className="cell-note warn-text">moved to the log {r.clamped}</div>}
              </td>
              <td className="mono right">{formatCount(r.logEnd)}</td>
              <td className="mono right">{formatCount(r.lagAfter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ResetOffsetsView({ groupId }: { groupId: string }) {
  const trpc = useTRPC();
  const canReset = useCan("support");
  const queryClient = useQueryClient();
  const group = useQuery(trpc.lag.group.queryOptions({ groupId }, { retry: false }));
  const topics = useQuery(trpc.messages.topics.queryOptions());
  const groupTopics = [...new Set(group.data?.partitions.map((p) => p.topic) ?? [])];
  const [topic, setTopic] = useState("");
  const [partitionsText, setPartitionsText] = useState("");
  const [kind, setKind] = useState<TargetKind>("earliest");
  const [time, setTime] = useState(() => toLocalInput(Date.now() - 60 * 60_000));
  const [offset, setOffset] = useState("0");
  const [shift, setShift] = useState("-10");
  const [confirming, setConfirming] = useState(false);

  const chosenTopic = topic || groupTopics[0] || "";
  const partitions = partitionsText
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0);
  const target: ResetInput["target"] =
    kind === "timestamp" ? { kind, timestamp: fromLocalInput(time) ?? 0 } : kind === "offset" ? { kind, offset: Math.max(0, Number(offset) || 0) } : kind === "shift" ? { kind, by: Math.trunc(Number(shift) || 0) } : { kind };
  const input: ResetInput = { groupId, topic: chosenTopic, partitions: partitions.length ? partitions : undefined, target };
  const preview = useQuery(trpc.groupOffsets.preview.queryOptions(input, { enabled: chosenTopic !== "", retry: false }));
  const reset = useMutation(
    trpc.groupOffsets.reset.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.groupOffsets.preview.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.lag.group.queryKey({ groupId }) });
      },
    }),
  );
  const tool = TARGETS.find((t) => t.kind === kind)!.tool;

  return (
    <div className="page" data-testid="reset-page">
      <header className="page-header">
        <ClusterLink href={`/groups/${encodeURIComponent(groupId)}`} className="back-link">
          ← {groupId}
        </ClusterLink>
        <h1>Reset offsets</h1>
        <p className="muted">Preview first, like kafka-consumer-groups --reset-offsets (a dry run by default). Kafka allows a reset only while the group has no active members.</p>
      </header>

      <section className="card browser-controls">
        <div className="control-row">
          <label className="field">
            <span>Topic</span>
            <select value={chosenTopic} onChange={(e) => setTopic(e.target.value)} data-testid="reset-topic">
              {groupTopics.length === 0 && <option value="">Choose a topic</option>}
              {[...groupTopics, ...(topics.data ?? []).filter((t) => !groupTopics.includes(t) && !t.startsWith("__"))].map((t) => (
                <option key={t} value={t}>
                  {t}
                  {groupTopics.includes(t) ? "" : " (not consumed yet)"}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Partitions</span>
            <input className="text-input narrow" value={partitionsText} onChange={(e) => setPartitionsText(e.target.value)} placeholder="all" data-testid="reset-partitions" />
          </label>
          <label className="field">
            <span>Reset to</span>
            <select value={kind} onChange={(e) => setKind(e.target.value as TargetKind)} data-testid="reset-kind">
              {TARGETS.map((t) => (
                <option key={t.kind} value={t.kind}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          {kind === "timestamp" && (
            <label className="field">
              <span>Time</span>
              <input className="text-input" type="datetime-local" step="1" value={time} onChange={(e) => setTime(e.target.value)} />
            </label>
          )}
          {kind === "offset" && (
            <label className="field">
              <span>Offset</span>
              <input className="text-input narrow" value={offset} onChange={(e) => setOffset(e.target.value)} data-testid="reset-offset" />
            </label>
          )}
          {kind === "shift" && (
            <label className="field">
              <span>By</span>
              <input className="text-input narrow" value={shift} onChange={(e) => setShift(e.target.value)} data-testid="reset-shift" />
            </label>
          )}
        </div>
        <p className="muted small mono">
          kafka-consumer-groups --reset-offsets --group {groupId} --topic {chosenTopic || "<topic>"}
          {partitions.length ? `:${partitions.join(",")}` : ""} {tool}
        </p>
      </section>

      {preview.isError && (
        <div className="banner bad" role="alert" data-testid="reset-preview-error">
          {preview.error.message}
        </div>
      )}
      {preview.data && (
        <section className="card flush section">
          <h2 className="card-title">
            Preview <span className="muted">(nothing changes until you reset)</span>
          </h2>
          {preview.data.refusal && (
            <div className="banner warn pad-banner" role="alert" data-testid="reset-refusal">
              <strong>Kafka will refuse this reset now</strong>
              {preview.data.refusal}
            </div>
          )}
          <PreviewTable preview={preview.data} />
          <div className="action-bar padded">
            {confirming ? (
              <>
                <span>
                  Move {preview.data.rows.length} partition{preview.data.rows.length === 1 ? "" : "s"} of {groupId}?
                </span>
                <button type="button" className="danger" onClick={() => reset.mutate(input)} disabled={reset.isPending} data-testid="reset-confirm">
                  Yes, reset
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  Keep them
                </button>
              </>
            ) : (
              <button type="button" className="primary" onClick={() => setConfirming(true)} disabled={!canReset} title={canReset ? undefined : "Resetting offsets needs the support role."} data-testid="reset-execute">
                Reset offsets
              </button>
            )}
          </div>
          {reset.error && (
            <div className="banner bad pad-banner" role="alert" data-testid="reset-error">
              <strong>Not reset</strong>
              {reset.error.message}
            </div>
          )}
          {reset.isSuccess && (
            <p className="ok-text padded-text" data-testid="reset-done">
              Offsets reset and audited.
            </p>
          )}
        </section>
      )}
    </div>
  );
}
