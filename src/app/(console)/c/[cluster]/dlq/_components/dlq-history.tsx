"use client";

// Depth and inflow of the selected DLQ over time (from the DLQ index: records arrive at their
// timestamp and leave the depth when redriven or discarded), with the lag pages' range picker.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { RangePicker } from "~/components/charts/range-picker";
import { TimeChart } from "~/components/charts/time-chart";
import type { TimeRange } from "~/components/lag/types";
import { formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { AGING_REFRESH_MS } from "~/components/dlq/use-dlq-changes";

export function DlqHistory({ topic }: { topic: string }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<TimeRange>("1h");
  const history = useQuery(trpc.dlq.history.queryOptions({ topic, range }, { refetchInterval: AGING_REFRESH_MS }));
  const points = history.data?.points ?? [];
  const common = { range, end: history.dataUpdatedAt, loading: history.isPending, error: history.error?.message ?? null, height: 170 };
  return (
    <section className="section" data-testid="dlq-history">
      <div className="section-bar">
        <h2 className="section-title">
          <span className="mono">{topic}</span> over time
        </h2>
        <RangePicker value={range} onChange={setRange} asOf={history.dataUpdatedAt || undefined} onRefresh={() => void history.refetch()} refreshing={history.isFetching} />
      </div>
      <div className="grid grid-2">
        <TimeChart title="Depth (not yet redriven or discarded)" points={points.map((p) => ({ at: p.at, value: p.depth }))} formatValue={(v) => `${formatCount(Math.round(v))} records`} kind="area" color="var(--warn)" testId="dlq-depth-chart" {...common} />
        <TimeChart title="Inflow (records/min)" points={points.map((p) => ({ at: p.at, value: p.inflowPerMin }))} formatValue={(v) => `${v < 10 ? v.toFixed(1) : formatCount(Math.round(v))}/min`} kind="area" color="var(--bad)" testId="dlq-inflow-chart" {...common} />
      </div>
    </section>
  );
}
