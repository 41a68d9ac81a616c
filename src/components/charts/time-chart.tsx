"use client";

import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatClock, formatCompact, formatDateTime, formatDayClock, formatDuration } from "~/lib/format";
import { RANGE_MS, type TimeRange } from "./range-picker";

export interface TimePoint {
  at: number;
  value: number | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TICK_STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR];

/** Round-number ticks (on local time) across [start, end], about `count` of them. */
export function timeTicks(start: number, end: number, count = 6): number[] {
  const span = Math.max(1, end - start);
  const step = TICK_STEPS.find((s) => span / s <= count) ?? 24 * HOUR;
  // Align to the step in local time, so "14:00" and midnight land on ticks.
  const offset = new Date(start).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((start - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= end; t += step) ticks.push(t);
  return ticks;
}

const DURATION_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** Y ticks in whole seconds, minutes, hours or days, about four of them, from 0 past `max`. */
export function durationTicks(max: number): number[] {
  const step = DURATION_STEPS.find((s) => max / s <= 4) ?? Math.ceil(max / 4 / 86400) * 86400;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(t);
  return ticks;
}

/**
 * Breaks the line where the sampler was not running: a null point between two points further apart
 * than `maxGapMs`. (History stores a row per sample while values change, and at least once a
 * minute otherwise, so a longer gap means nobody sampled.)
 */
export function breakGaps(points: TimePoint[], maxGapMs: number): TimePoint[] {
  const out: TimePoint[] = [];
  for (const p of points) {
    const prev = out.at(-1);
    if (prev && p.at - prev.at > maxGapMs) out.push({ at: prev.at + 1, value: null });
    out.push(p);
  }
  return out;
}

/**
 * The largest gap a history series has while the sampler runs, from its resolution (seconds, as
 * `topicHistory`/`groupHistory` return it): three rows, and never under 90 s (idle series store a
 * row once a minute).
 */
export function maxGapFor(resolutionSeconds: number | undefined): number | undefined {
  return resolutionSeconds === undefined ? undefined : Math.max(3 * resolutionSeconds * 1000, 90_000);
}

function tickFormatter(range: TimeRange): (at: number) => string {
  return range === "7d" ? formatDayClock : (at) => formatClock(at, false);
}

export interface TimeChartProps {
  title: string;
  points: TimePoint[];
  range: TimeRange;
  /** The right edge of the x-axis (when the data was fetched). */
  end: number;
  formatValue: (value: number) => string;
  /** Points further apart than this are not joined (the sampler did not run in between). */
  maxGapMs?: number;
  /** "duration" puts the y-axis in seconds with whole-minute/hour ticks. */
  axis?: "number" | "duration";
  /** "area" fills under the line. */
  kind?: "line" | "area";
  color?: string;
  height?: number;
  testId?: string;
  loading?: boolean;
  error?: string | null;
  /** A note under the title, e.g. "≈ extrapolated". */
  note?: React.ReactNode;
}

export function TimeChart({ title, points, range, end, formatValue, maxGapMs, axis = "number", kind = "line", color = "var(--accent)", height = 200, testId, loading, error, note }: TimeChartProps) {
  const start = end - RANGE_MS[range];
  const inRange = points.filter((p) => p.at >= start);
  const data = maxGapMs ? breakGaps(inRange, maxGapMs) : inRange;
  const valued = data.filter((p) => p.value !== null).length;
  const last = [...data].reverse().find((p) => p.value !== null);
  const ticks = timeTicks(start, end);
  const yTicks = axis === "duration" ? durationTicks(data.reduce((m, p) => Math.max(m, p.value ?? 0), 1)) : [];
  const dot = valued < 3 ? { r: 3, fill: color, strokeWidth: 0 } : false;

  let body: React.ReactNode;
  if (error) {
    body = (
      <div className="chart-empty error-text" style={{ height }} role="alert">
        {error}
      </div>
    );
  } else if (loading) {
    body = <div className="skeleton" style={{ height }} />;
  } else if (valued === 0) {
    body = (
      <div className="chart-empty muted" style={{ height }} data-testid="chart-empty">
        No history yet — the sampler stores a point every 5 s
      </div>
    );
  } else {
    const axes = (
      <>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={[start, end]}
          ticks={ticks}
          tickFormatter={tickFormatter(range)}
          stroke="var(--muted)"
          tick={{ fill: "var(--muted)", fontSize: 11 }}
          allowDataOverflow
        />
        {axis === "duration" ? (
          <YAxis width={64} stroke="var(--muted)" tick={{ fill: "var(--muted)", fontSize: 11 }} tickFormatter={(v: number) => formatDuration(v)} ticks={yTicks} domain={[0, yTicks.at(-1) ?? "auto"]} />
        ) : (
          <YAxis width={56} stroke="var(--muted)" tick={{ fill: "var(--muted)", fontSize: 11 }} tickFormatter={formatCompact} allowDecimals domain={[0, "auto"]} />
        )}
        <Tooltip
          isAnimationActive={false}
          contentStyle={{ background: "var(--panel-2)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12 }}
          labelStyle={{ color: "var(--muted)" }}
          itemStyle={{ color: "var(--text)" }}
          labelFormatter={(at) => formatDateTime(Number(at))}
          formatter={(value) => [typeof value === "number" ? formatValue(value) : "—", title]}
        />
      </>
    );
    body = (
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 600, height }}>
        {kind === "area" ? (
          <AreaChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            {axes}
            <Area type="linear" dataKey="value" stroke={color} fill={color} fillOpacity={0.15} strokeWidth={1.6} dot={dot} isAnimationActive={false} connectNulls={false} />
          </AreaChart>
        ) : (
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
            {axes}
            <Line type="linear" dataKey="value" stroke={color} strokeWidth={1.6} dot={dot} isAnimationActive={false} connectNulls={false} />
          </LineChart>
        )}
      </ResponsiveContainer>
    );
  }

  return (
    <section className="card time-chart" data-testid={testId} data-points={valued} data-last-at={last?.at ?? ""}>
      <header className="time-chart-header">
        <h2>{title}</h2>
        {last && (
          <span className="time-chart-latest" data-testid={testId ? `${testId}-latest` : undefined}>
            {formatValue(last.value as number)}
          </span>
        )}
        {note}
      </header>
      {body}
    </section>
  );
}
