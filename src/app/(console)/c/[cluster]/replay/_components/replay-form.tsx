"use client";

import { useSubmissionKey } from "~/components/jobs/use-submission-key";
import { useCan } from "~/components/auth/actor-context";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { EMPTY_FILTER, FilterForm, toFilter, type FilterFields } from "~/components/messages/filter-form";
import { MessageList } from "~/components/messages/message-list";
import { PartitionChips } from "~/components/messages/partition-chips";
import { TopicSelect } from "~/components/messages/topic-select";
import { DryRunRunner, ProgressBar } from "~/components/messages/stream-runner";
import { fromLocalInput, toLocalInput } from "~/components/messages/time-input";
import type { PlanEvent, ReplayPlan, ReplayRequestInput } from "~/components/messages/types";
import { formatCount } from "~/lib/format";
import { errorText } from "~/trpc/error-text";
import { useClusterHref } from "~/components/clusters/cluster-context";
import { useTRPC } from "~/trpc/react";

type Progress = Extract<PlanEvent, { type: "progress" }>;
type Strategy = "keep" | "hash" | "fixed";

export function ReplayForm() {
  const trpc = useTRPC();
  const href = useClusterHref();
  const canReplay = useCan("support");
  const router = useRouter();
  const [source, setSource] = useState("");
  const [target, setTarget] = useState("");
  const partitions = useQuery(trpc.messages.partitions.queryOptions({ topic: source }, { enabled: source !== "" }));
  const [selected, setSelected] = useState<number[]>([]);
  const [rangeKind, setRangeKind] = useState<"time" | "offsets">("time");
  const [from, setFrom] = useState(() => toLocalInput(Date.now() - 15 * 60_000));
  const [to, setTo] = useState(() => toLocalInput(Date.now()));
  const [offsets, setOffsets] = useState<Record<number, { from: string; to: string }>>({});
  const [filter, setFilter] = useState<FilterFields>(EMPTY_FILTER);
  const [strategy, setStrategy] = useState<Strategy>("keep");
  const [fixedPartition, setFixedPartition] = useState("0");
  const [rate, setRate] = useState("");
  const [maxCount, setMaxCount] = useState("");

  const [run, setRun] = useState<{ id: number; input: ReplayRequestInput } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [plan, setPlan] = useState<ReplayPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The page moves to the job on success, so one key serves every (repeated) click on this form.
  const [submission] = useSubmissionKey();
  const start = useMutation(trpc.replay.start.mutationOptions({ onSuccess: (job) => router.push(href(`/replay/jobs/${job.id}`)) }));

  // Any change to the form makes the last dry run stale: the user must see the count of what will run.
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPlan(null);
  };

  const bounds = partitions.data ?? [];
  const chosen = bounds.filter((b) => selected.length === 0 || selected.includes(b.partition));

  const buildRequest = (): ReplayRequestInput | string => {
    if (!source) return "Choose a source topic.";
    if (!target) return "Choose a target topic.";
    let range: ReplayRequestInput["range"];
    if (rangeKind === "time") {
      const f = fromLocalInput(from);
      const t = fromLocalInput(to);
      if (f === undefined || t === undefined) return "Enter both ends of the time window.";
      range = { kind: "time", from: f, to: t, partitions: selected.length ? selected : undefined };
    } else {
      range = {
        kind: "offsets",
        partitions: chosen.map((b) => ({ partition: b.partition, from: Number(offsets[b.partition]?.from ?? b.start), to: Number(offsets[b.partition]?.to ?? b.end) })),
      };
      if (range.partitions.some((p) => !Number.isInteger(p.from) || !Number.isInteger(p.to))) return "Offsets must be whole numbers.";
    }
    return {
      sourceTopic: source,
      range,
      filter: toFilter(filter),
      targetTopic: target,
      partitionStrategy: strategy === "fixed" ? { kind: "fixed", partition: Number(fixedPartition) || 0 } : { kind: strategy },
      ratePerSec: rate.trim() ? Number(rate) : null,
      maxCount: maxCount.trim() ? Number(maxCount) : null,
    };
  };

  const dryRun = () => {
    const request = buildRequest();
    if (typeof request === "string") {
      setError(request);
      return;
    }
    setError(null);
    setPlan(null);
    setProgress(null);
    setRun((prev) => ({ id: (prev?.id ?? 0) + 1, input: request }));
  };

  const onEvent = useCallback((event: PlanEvent) => {
    if (event.type === "progress") setProgress(event);
    else {
      setPlan(event.plan);
      setRun(null);
    }
  }, []);
  const onError = useCallback((message: string) => {
    setError(message);
    setRun(null);
  }, []);

  return (
    <section className="card replay-form" data-testid="replay-form">
      <h2>New replay</h2>
      <div className="replay-grid">
        <label htmlFor="replay-source">Source topic</label>
        <TopicSelect id="replay-source" value={source} onChange={(t) => (changed(setSource)(t), setSelected([]), setOffsets({}))} testId="replay-source" />

        {source && bounds.length > 0 && (
          <>
            <span />
            <PartitionChips bounds={bounds} selected={selected} onChange={changed(setSelected)} />
          </>
        )}

        <span>Range</span>
        <div className="filter-row">
          <label className="radio">
            <input type="radio" name="range" checked={rangeKind === "time"} onChange={() => changed(setRangeKind)("time")} data-testid="range-time" /> Time window
          </label>
          <label className="radio">
            <input type="radio" name="range" checked={rangeKind === "offsets"} onChange={() => changed(setRangeKind)("offsets")} data-testid="range-offsets" /> Offsets per partition
          </label>
        </div>

        {rangeKind === "time" ? (
          <>
            <label htmlFor="replay-from">Window</label>
            <div className="filter-row">
              <input id="replay-from" type="datetime-local" step="1" className="text-input" value={from} onChange={(e) => changed(setFrom)(e.target.value)} data-testid="replay-from" />
              <span className="muted">to</span>
              <input aria-label="Window end" type="datetime-local" step="1" className="text-input" value={to} onChange={(e) => changed(setTo)(e.target.value)} data-testid="replay-to" />
              <span className="muted small">each partition from its first record at or after the start, up to the first at or after the end</span>
            </div>
          </>
        ) : (
          <>
            <span>Offsets</span>
            <div className="offset-table">
              {chosen.map((b) => (
                <div key={b.partition} className="filter-row">
                  <span className="mono">p{b.partition}</span>
                  <input
                    aria-label={`Partition ${b.partition} from`}
                    className="text-input mono narrow"
                    value={offsets[b.partition]?.from ?? String(b.start)}
                    onChange={(e) => changed(setOffsets)({ ...offsets, [b.partition]: { from: e.target.value, to: offsets[b.partition]?.to ?? String(b.end) } })}
                  />
                  <span className="muted">to</span>
                  <input
                    aria-label={`Partition ${b.partition} to`}
                    className="text-input mono narrow"
                    value={offsets[b.partition]?.to ?? String(b.end)}
                    onChange={(e) => changed(setOffsets)({ ...offsets, [b.partition]: { from: offsets[b.partition]?.from ?? String(b.start), to: e.target.value } })}
                  />
                  <span className="muted small">
                    (holds {b.start}–{b.end}; end exclusive)
                  </span>
                </div>
              ))}
              {chosen.length === 0 && <span className="muted">Choose a source topic first.</span>}
            </div>
          </>
        )}

        <span>Filters</span>
        <FilterForm value={filter} onChange={changed(setFilter)} idPrefix="replay-filter" showTime={false} />

        <label htmlFor="replay-target">Target topic</label>
        <TopicSelect id="replay-target" value={target} onChange={changed(setTarget)} testId="replay-target" exclude={(t) => t.startsWith("__")} label={(t) => (t === source ? `${t} (same topic)` : t)} />

        <label htmlFor="replay-strategy">Partition</label>
        <div className="filter-row">
          <select id="replay-strategy" value={strategy} onChange={(e) => changed(setStrategy)(e.target.value as Strategy)} data-testid="replay-strategy">
            <option value="keep">Keep the original partition</option>
            <option value="hash">Hash by key (murmur2)</option>
            <option value="fixed">Fixed partition</option>
          </select>
          {strategy === "fixed" && <input aria-label="Fixed partition" className="text-input mono narrow" value={fixedPartition} onChange={(e) => changed(setFixedPartition)(e.target.value)} />}
        </div>

        <label htmlFor="replay-rate">Limits</label>
        <div className="filter-row">
          <input id="replay-rate" className="text-input narrow" inputMode="numeric" value={rate} onChange={(e) => changed(setRate)(e.target.value)} placeholder="unlimited" data-testid="replay-rate" />
          <span className="muted">msg/s, at most</span>
          <input aria-label="Maximum count" className="text-input narrow" inputMode="numeric" value={maxCount} onChange={(e) => changed(setMaxCount)(e.target.value)} placeholder="all" data-testid="replay-max" />
          <span className="muted">records</span>
        </div>
      </div>

      <div className="action-bar">
        {run ? (
          <button type="button" className="danger" onClick={() => setRun(null)} data-testid="dry-run-cancel">
            Cancel dry run
          </button>
        ) : (
          <button type="button" onClick={dryRun} data-testid="dry-run">
            Dry run
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={!canReplay || !plan || plan.wouldWrite === 0 || start.isPending}
          onClick={() => plan && start.mutate({ request: plan.request, ranges: plan.ranges, dryRunCount: plan.wouldWrite, idempotencyKey: submission })}
          data-testid="start-replay"
          title={!canReplay ? "Replay needs the support role." : plan ? undefined : "Run a dry run first: it counts exactly what will be written."}
        >
          {plan ? `Start replay of ${formatCount(plan.wouldWrite)} record${plan.wouldWrite === 1 ? "" : "s"}` : "Start replay"}
        </button>
      </div>
      {run && <DryRunRunner key={run.id} input={run.input} onEvent={onEvent} onError={onError} />}
      {run && (
        <ProgressBar
          done={progress?.scanned ?? 0}
          total={progress?.toRead ?? 1}
          testId="dry-run-progress"
          label={progress ? `Scanned ${formatCount(progress.scanned)} of ${formatCount(progress.toRead)} · ${formatCount(progress.matched)} match` : "Resolving the range…"}
        />
      )}
      {(error ?? start.error) && (
        <div className="banner bad" role="alert" data-testid="replay-error">
          {error ?? (start.error && errorText(start.error))}
        </div>
      )}
      {plan && (
        <div className="dry-run" data-testid="dry-run-result" data-would-write={plan.wouldWrite}>
          <p>
            <strong data-testid="dry-run-count">{formatCount(plan.wouldWrite)}</strong> record{plan.wouldWrite === 1 ? "" : "s"} would be written to <span className="mono">{plan.request.targetTopic}</span>: {formatCount(plan.matched)}{" "}
            of {formatCount(plan.toRead)} in range match the filters{plan.request.maxCount !== null && plan.matched > plan.wouldWrite ? `, capped at ${formatCount(plan.request.maxCount)}` : ""}. Nothing has been written yet.
          </p>
          <p className="muted small mono">Range: {plan.ranges.map((r) => `p${r.partition} ${r.from}–${r.to}`).join(", ")}</p>
          <h3 className="small muted">Sample (first {plan.sample.length})</h3>
          <MessageList messages={plan.sample} emptyText={<p>No record matches: there is nothing to replay.</p>} testId="dry-run-sample" />
        </div>
      )}
    </section>
  );
}
