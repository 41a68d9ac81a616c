"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { activeFilterCount, EMPTY_FILTER, FilterForm, toFilter, type FilterFields } from "~/components/messages/filter-form";
import { MessageList } from "~/components/messages/message-list";
import { PartitionChips } from "~/components/messages/partition-chips";
import { TopicSelect } from "~/components/messages/topic-select";
import { ProgressBar, ScanRunner, TailRunner } from "~/components/messages/stream-runner";
import { fromLocalInput, toLocalInput } from "~/components/messages/time-input";
import type { BrowsedMessage, ScanDone, ScanEvent, ScanInput, ScanProgress, StartPoint } from "~/components/messages/types";
import { formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { MessagesHeader } from "./messages-tabs";

type StartKind = StartPoint["kind"];
const TAIL_KEEP = 500;

function sortByTime(rows: BrowsedMessage[]): BrowsedMessage[] {
  return [...rows].sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
}

export function MessageBrowser() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const [topic, setTopic] = useState(params.get("topic") ?? "");
  const partitions = useQuery(trpc.messages.partitions.queryOptions({ topic }, { enabled: topic !== "" }));
  const [selected, setSelected] = useState<number[]>([]);
  const [startKind, setStartKind] = useState<StartKind>("latest");
  const [startOffset, setStartOffset] = useState("0");
  const [startTime, setStartTime] = useState(() => toLocalInput(Date.now() - 15 * 60_000));
  const [limit, setLimit] = useState(50);
  const [filter, setFilter] = useState<FilterFields>(EMPTY_FILTER);
  const [showFilters, setShowFilters] = useState(true);

  const [run, setRun] = useState<{ id: number; input: ScanInput } | null>(null);
  const [tailing, setTailing] = useState<{ id: number; input: Omit<ScanInput, "start" | "cursor" | "limit"> } | null>(null);
  const [rows, setRows] = useState<BrowsedMessage[]>([]);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [done, setDone] = useState<ScanDone | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);

  const start = (input: ScanInput) => {
    setTailing(null);
    setRows([]);
    setProgress(null);
    setDone(null);
    setError(null);
    setCancelled(false);
    setRun((prev) => ({ id: (prev?.id ?? 0) + 1, input }));
  };

  const baseInput = useCallback((): Omit<ScanInput, "start" | "cursor"> => ({ topic, partitions: selected.length ? selected : undefined, limit, filter: toFilter(filter) }), [topic, selected, limit, filter]);

  const search = () => {
    let startPoint: StartPoint;
    if (startKind === "offset") startPoint = { kind: "offset", offset: Math.max(0, Number(startOffset) || 0) };
    else if (startKind === "timestamp") startPoint = { kind: "timestamp", timestamp: fromLocalInput(startTime) ?? Date.now() };
    else startPoint = { kind: startKind };
    start({ ...baseInput(), start: startPoint });
  };

  const onScanEvent = useCallback((event: ScanEvent) => {
    if (event.type === "progress") setProgress(event);
    else if (event.type === "messages") setRows((prev) => sortByTime([...prev, ...event.messages]));
    else {
      setDone(event);
      setRun(null);
    }
  }, []);

  const onTailEvent = useCallback((event: ScanEvent) => {
    if (event.type === "progress") setProgress(event);
    else if (event.type === "messages") setRows((prev) => sortByTime([...prev, ...event.messages]).slice(-TAIL_KEEP));
  }, []);

  const onError = useCallback((message: string) => {
    setError(message);
    setRun(null);
    setTailing(null);
  }, []);

  const toggleTail = () => {
    if (tailing) {
      setTailing(null);
      return;
    }
    setRun(null);
    setRows([]);
    setDone(null);
    setError(null);
    setProgress(null);
    const { limit: _limit, ...rest } = baseInput();
    void _limit;
    setTailing((prev) => ({ id: (prev?.id ?? 0) + 1, input: rest }));
  };

  const bounds = partitions.data ?? [];
  const scanning = run !== null;
  const filters = activeFilterCount(filter);

  return (
    <div className="page" data-testid="messages-page">
      <MessagesHeader active="browse" description="Filters run on the server; a scan streams what it finds and can be cancelled." />

      <section className="card browser-controls">
        <div className="control-row">
          <label className="field">
            <span>Topic</span>
            <TopicSelect
              value={topic}
              testId="topic-select"
              onChange={(next) => {
                setTopic(next);
                setSelected([]);
                setRows([]);
                setDone(null);
                setRun(null);
                setTailing(null);
              }}
            />
          </label>
          <label className="field">
            <span>Start at</span>
            <select value={startKind} onChange={(e) => setStartKind(e.target.value as StartKind)} data-testid="start-select">
              <option value="latest">Latest (newest first)</option>
              <option value="earliest">Earliest</option>
              <option value="offset">Offset</option>
              <option value="timestamp">Timestamp</option>
            </select>
          </label>
          {startKind === "offset" && (
            <label className="field">
              <span>Offset</span>
              <input className="text-input" type="number" min={0} value={startOffset} onChange={(e) => setStartOffset(e.target.value)} data-testid="start-offset" />
            </label>
          )}
          {startKind === "timestamp" && (
            <label className="field">
              <span>From</span>
              <input className="text-input" type="datetime-local" step="1" value={startTime} onChange={(e) => setStartTime(e.target.value)} data-testid="start-time" />
            </label>
          )}
          <label className="field">
            <span>Page size</span>
            <select value={limit} onChange={(e) => setLimit(Number(e.target.value))} data-testid="limit-select">
              {[20, 50, 100, 200, 500].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <div className="control-actions">
            <button type="button" className="link-button" onClick={() => setShowFilters((s) => !s)} data-testid="toggle-filters">
              Filters{filters ? ` (${filters})` : ""} {showFilters ? "▴" : "▾"}
            </button>
            {scanning ? (
              <button type="button" className="danger" onClick={() => (setRun(null), setCancelled(true))} data-testid="cancel-scan">
                Cancel scan
              </button>
            ) : (
              <button type="button" className="primary" onClick={search} disabled={!topic} data-testid="search">
                Search
              </button>
            )}
            <button type="button" onClick={toggleTail} disabled={!topic} className={tailing ? "live-on" : undefined} data-testid="tail-toggle">
              {tailing ? "■ Stop live" : "▶ Tail live"}
            </button>
          </div>
        </div>

        {topic && bounds.length > 0 && <PartitionChips bounds={bounds} selected={selected} onChange={setSelected} />}
        {partitions.isError && (
          <p className="error-text" role="alert">
            {partitions.error.message}
          </p>
        )}

        {showFilters && <FilterForm value={filter} onChange={setFilter} idPrefix="filter" />}
      </section>

      {run && <ScanRunner key={run.id} input={run.input} onEvent={onScanEvent} onError={onError} />}
      {tailing && <TailRunner key={tailing.id} input={tailing.input} onEvent={onTailEvent} onError={onError} />}

      <div className="section-bar">
        <div className="scan-status" data-testid="scan-status" data-state={error ? "error" : scanning ? "scanning" : tailing ? "tailing" : done ? "done" : cancelled ? "cancelled" : "idle"}>
          {scanning && progress && (
            <ProgressBar
              done={progress.scanned}
              total={progress.toScan}
              testId="scan-progress"
              label={
                <>
                  Scanned {formatCount(progress.scanned)} of {formatCount(progress.toScan)} · {formatCount(progress.matched)} matched · at {progress.positions.map((p) => `p${p.partition}:${p.offset}`).join(" ")}
                </>
              }
            />
          )}
          {scanning && !progress && <span className="muted">Scanning…</span>}
          {tailing && (
            <span className="live">
              <span className="dot" /> Live: {formatCount(progress?.scanned ?? 0)} new records seen, {formatCount(progress?.matched ?? 0)} matched (last {TAIL_KEEP} kept)
            </span>
          )}
          {done && !scanning && (
            <span className="muted" data-testid="scan-summary" data-matched={done.matched} data-scanned={done.scanned}>
              {formatCount(done.matched)} matched of {formatCount(done.scanned)} scanned{done.exhausted ? " · reached the end" : done.budgetReached ? " · stopped at the scan limit" : ""}
            </span>
          )}
          {cancelled && !scanning && <span className="muted">Scan cancelled; {formatCount(rows.length)} shown.</span>}
        </div>
        <div className="pager">
          <button type="button" disabled={!done || scanning || tailing !== null} onClick={() => done && start({ ...baseInput(), cursor: done.before })} data-testid="page-older">
            ← Older
          </button>
          <button type="button" disabled={!done || scanning || tailing !== null} onClick={() => done && start({ ...baseInput(), cursor: done.after })} data-testid="page-newer">
            Newer →
          </button>
        </div>
      </div>

      {done?.budgetReached && !scanning && (
        <div className="banner warn" role="status" data-testid="scan-budget" data-reason={done.budgetReached.reason}>
          <strong>The scan stopped early</strong>
          {done.budgetReached.message} The {formatCount(rows.length)} record{rows.length === 1 ? "" : "s"} found so far {rows.length === 1 ? "is" : "are"} shown below; there may be more further on. It got to{" "}
          {done.budgetReached.continueWith.positions.map((p) => `partition ${p.partition} offset ${formatCount(p.offset)}`).join(", ")}.{" "}
          <button type="button" className="link-button" onClick={() => start({ ...baseInput(), cursor: done.budgetReached!.continueWith })} data-testid="scan-continue">
            Continue from there
          </button>{" "}
          or narrow the filters or the start point.
        </div>
      )}

      {error && (
        <div className="banner bad" role="alert" data-testid="scan-error">
          <strong>The scan stopped</strong>
          {error}
        </div>
      )}

      <MessageList
        messages={rows}
        emptyText={
          !topic ? (
            <p>Choose a topic to browse its records.</p>
          ) : scanning || tailing ? (
            <p>{tailing ? "Waiting for new records…" : "Scanning…"}</p>
          ) : done ? (
            <p>No record matched in the {formatCount(done.scanned)} scanned. Try older pages, or loosen the filters.</p>
          ) : (
            <p>Press Search to read records.</p>
          )
        }
      />
    </div>
  );
}
