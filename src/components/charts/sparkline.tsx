"use client";

import { memo, useContext, useDeferredValue, useState } from "react";
import { Line, LineChart, YAxis } from "recharts";
import { ListScrollingContext } from "~/components/tables/virtual-table";

/**
 * A tiny line with no axes: the shape of recent values, oldest first. Lists show many, so it is
 * memoised, and in a virtualised list a chart mounts only once scrolling settles, in a deferred
 * (interruptible) render: a fast scroll through ten thousand rows stays smooth and the lines fill
 * in as soon as it stops. Once drawn, a line stays while the list scrolls again.
 */
export const Sparkline = memo(function Sparkline({ values, width = 110, height = 26, label }: { values: number[]; width?: number; height?: number; label?: string }) {
  const scrolling = useContext(ListScrollingContext);
  const [armed, setArmed] = useState(!scrolling);
  if (!scrolling && !armed) setArmed(true);
  const ready = useDeferredValue(armed, false);
  if (values.length < 2) {
    return (
      <span className="sparkline-empty muted" style={{ width, height }} title="Not enough samples yet" data-testid="sparkline" data-points={values.length}>
        ·
      </span>
    );
  }
  const max = Math.max(...values);
  const flat = max === Math.min(...values);
  return (
    <span className="sparkline" style={{ width, height }} role="img" aria-label={label ?? "Recent trend"} data-testid="sparkline" data-points={values.length}>
      {ready && (
        <LineChart width={width} height={height} data={values.map((v, i) => ({ i, v }))} margin={{ top: 3, right: 2, bottom: 3, left: 2 }}>
          <YAxis hide domain={flat ? [max - 1, max + 1] : [0, "dataMax"]} />
          <Line type="monotone" dataKey="v" stroke={max > 0 ? "var(--accent)" : "var(--muted)"} strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </LineChart>
      )}
    </span>
  );
});
