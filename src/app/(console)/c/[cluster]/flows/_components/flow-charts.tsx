"use client";

// A flow's minutes: end-to-end latency percentiles (p50, p95, p99, with the SLO as a line), the share
// of finished instances that compensated, and outcomes per minute.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatClock, formatCount, formatDateTime, formatMs } from "~/lib/format";
import type { RouterOutputs } from "~/trpc/types";

type Detail = RouterOutputs["flows"]["get"];

const axisProps = { stroke: "var(--muted)", tick: { fill: "var(--muted)", fontSize: 11 } };
const tooltipProps = {
  isAnimationActive: false,
  contentStyle: { background: "var(--panel-2)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12 },
  labelStyle: { color: "var(--muted)" },
  labelFormatter: (at: unknown) => formatDateTime(Number(at)),
};

function Empty({ what }: { what: string }) {
  return (
    <div className="chart-empty muted" style={{ height: 200 }} data-testid="chart-empty">
      No {what} in this range yet — the flow monitor counts instances as they finish.
    </div>
  );
}

export function FlowCharts({ flow, start, end }: { flow: Detail; start: number; end: number }) {
  const series = flow.series;
  const finished = series.some((p) => p.completed + p.compensated > 0);
  const x = { dataKey: "at", type: "number" as const, scale: "time" as const, domain: [start, end], tickFormatter: (at: number) => formatClock(at, false), ...axisProps };
  return (
    <div className="grid grid-3">
      <section className="card time-chart" data-testid="flow-latency-chart" data-points={series.filter((p) => p.p95Ms !== null).length}>
        <header className="time-chart-header">
          <h2>End-to-end latency</h2>
          <span className="muted small">SLO {formatMs(flow.definition?.endToEndSloMs ?? null)}</span>
        </header>
        {finished ? (
          <ResponsiveContainer width="100%" height={200} initialDimension={{ width: 400, height: 200 }}>
            <LineChart data={series} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis {...x} allowDataOverflow />
              <YAxis width={60} {...axisProps} tickFormatter={(v: number) => formatMs(v)} />
              <Tooltip {...tooltipProps} formatter={(v, name) => [typeof v === "number" ? formatMs(v) : "—", name]} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {flow.definition && <ReferenceLine y={flow.definition.endToEndSloMs} stroke="var(--bad)" strokeDasharray="4 4" />}
              <Line name="p50" dataKey="p50Ms" stroke="var(--ok)" dot={false} isAnimationActive={false} connectNulls={false} />
              <Line name="p95" dataKey="p95Ms" stroke="var(--accent)" dot={false} isAnimationActive={false} connectNulls={false} />
              <Line name="p99" dataKey="p99Ms" stroke="var(--warn)" dot={false} isAnimationActive={false} connectNulls={false} />
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <Empty what="finished instances" />
        )}
      </section>
      <section className="card time-chart" data-testid="flow-compensation-chart">
        <header className="time-chart-header">
          <h2>Compensation rate</h2>
          <span className="time-chart-latest">{flow.window.compensationRate === null ? "—" : `${(100 * flow.window.compensationRate).toFixed(1)}%`}</span>
        </header>
        {finished ? (
          <ResponsiveContainer width="100%" height={200} initialDimension={{ width: 400, height: 200 }}>
            <LineChart data={series.map((p) => ({ at: p.at, rate: p.compensationRate === null ? null : 100 * p.compensationRate }))} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis {...x} allowDataOverflow />
              <YAxis width={44} {...axisProps} domain={[0, "auto"]} tickFormatter={(v: number) => `${v}%`} />
              <Tooltip {...tooltipProps} formatter={(v) => [typeof v === "number" ? `${v.toFixed(1)}%` : "—", "compensated"]} />
              <Line dataKey="rate" stroke="var(--warn)" dot={false} isAnimationActive={false} connectNulls={false} />
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <Empty what="finished instances" />
        )}
      </section>
      <section className="card time-chart" data-testid="flow-outcomes-chart">
        <header className="time-chart-header">
          <h2>Outcomes per minute</h2>
        </header>
        {series.length ? (
          <ResponsiveContainer width="100%" height={200} initialDimension={{ width: 400, height: 200 }}>
            <BarChart data={series} barSize={8} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis {...x} allowDataOverflow />
              <YAxis width={44} {...axisProps} tickFormatter={(v: number) => formatCount(v)} />
              <Tooltip {...tooltipProps} formatter={(v, name) => [typeof v === "number" ? formatCount(v) : "—", name]} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              <Bar name="completed" dataKey="completed" stackId="o" fill="var(--ok)" isAnimationActive={false} />
              <Bar name="compensated" dataKey="compensated" stackId="o" fill="var(--warn)" isAnimationActive={false} />
              <Bar name="failed" dataKey="failed" stackId="o" fill="var(--bad)" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        ) : (
          <Empty what="instances" />
        )}
      </section>
    </div>
  );
}
