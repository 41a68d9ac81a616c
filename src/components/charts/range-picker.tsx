"use client";

import { formatClock } from "~/lib/format";
import type { RouterInputs } from "~/trpc/types";

/** The spans a history chart shows; the lag and DLQ history procedures take the same names. */
export type TimeRange = RouterInputs["lag"]["topicHistory"]["range"];

export const RANGES: { value: TimeRange; label: string; title: string }[] = [
  { value: "live", label: "Live", title: "The last 15 minutes, moving with each new sample" },
  { value: "15m", label: "15 min", title: "The 15 minutes up to when you picked it" },
  { value: "1h", label: "1 h", title: "The hour up to when you picked it" },
  { value: "24h", label: "24 h", title: "The day up to when you picked it (minute resolution)" },
  { value: "7d", label: "7 d", title: "The week up to when you picked it (minute resolution)" },
];

/** How much time each range spans, ms. */
export const RANGE_MS: Record<TimeRange, number> = { live: 15 * 60_000, "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 };

interface RangePickerProps {
  value: TimeRange;
  onChange: (range: TimeRange) => void;
  /** When the shown history was fetched; a fixed range says so and offers a refresh. */
  asOf?: number;
  onRefresh?: () => void;
  refreshing?: boolean;
}

export function RangePicker({ value, onChange, asOf, onRefresh, refreshing }: RangePickerProps) {
  return (
    <div className="range-bar">
      <div className="range-picker" role="radiogroup" aria-label="Time range" data-testid="range-picker">
        {RANGES.map((r) => (
          <button
            key={r.value}
            type="button"
            role="radio"
            aria-checked={value === r.value}
            className={value === r.value ? "active" : undefined}
            title={r.title}
            onClick={() => onChange(r.value)}
            data-testid={`range-${r.value}`}
          >
            {r.value === "live" && <span className="range-dot" aria-hidden />}
            {r.label}
          </button>
        ))}
      </div>
      {value !== "live" && asOf ? (
        <span className="muted range-asof" data-testid="range-asof">
          as of {formatClock(asOf)}
          {onRefresh && (
            <button type="button" className="link-button" onClick={onRefresh} disabled={refreshing} data-testid="range-refresh">
              {refreshing ? "refreshing…" : "refresh"}
            </button>
          )}
        </span>
      ) : null}
    </div>
  );
}
