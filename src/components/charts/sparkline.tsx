"use client";

import { line, curveMonotoneX } from "d3-shape";
import { memo, useMemo } from "react";

const MARGIN = { x: 2, y: 3 };

/**
 * The SVG path of `values` (oldest first) across a `width` × `height` box: the same smooth monotone
 * line the charts draw, scaled from zero to the largest value, or centred when the values are flat.
 */
export function sparklinePath(values: number[], width: number, height: number): string {
  const max = Math.max(...values);
  const min = Math.min(...values);
  const [low, high] = max === min ? [max - 1, max + 1] : [Math.min(0, min), max];
  const x = (i: number) => MARGIN.x + (i * (width - 2 * MARGIN.x)) / (values.length - 1);
  const y = (v: number) => height - MARGIN.y - ((v - low) / (high - low)) * (height - 2 * MARGIN.y);
  return line<number>((_, i) => x(i), y).curve(curveMonotoneX)(values) ?? "";
}

/**
 * A tiny line with no axes: the shape of recent values, oldest first. A plain SVG path, not a
 * recharts chart: a list shows one per row, and a recharts chart cost about 3 ms a row to mount, a
 * tenth of a second for each new window of rows after a sort (traced at 10,000 topics).
 */
export const Sparkline = memo(function Sparkline({ values, width = 110, height = 26, label }: { values: number[]; width?: number; height?: number; label?: string }) {
  const path = useMemo(() => (values.length < 2 ? "" : sparklinePath(values, width, height)), [values, width, height]);
  if (values.length < 2) {
    return (
      <span className="sparkline-empty muted" style={{ width, height }} title="Not enough samples yet" data-testid="sparkline" data-points={values.length}>
        ·
      </span>
    );
  }
  const active = Math.max(...values) > 0;
  return (
    <span className="sparkline" style={{ width, height }} role="img" aria-label={label ?? "Recent trend"} data-testid="sparkline" data-points={values.length}>
      <svg width={width} height={height} aria-hidden>
        <path d={path} fill="none" stroke={active ? "var(--accent)" : "var(--muted)"} strokeWidth={1.5} />
      </svg>
    </span>
  );
});
