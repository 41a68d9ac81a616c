"use client";

import { formatCount } from "~/lib/format";
import type { PartitionBounds } from "./types";

/** Toggle buttons for a topic's partitions; none selected means all. */
export function PartitionChips({ bounds, selected, onChange }: { bounds: PartitionBounds[]; selected: number[]; onChange: (next: number[]) => void }) {
  const total = bounds.reduce((s, b) => s + (b.end - b.start), 0);
  return (
    <div className="partition-chips" data-testid="partition-chips">
      <span className="muted small">Partitions:</span>
      {bounds.map((b) => {
        const on = selected.includes(b.partition);
        return (
          <button
            key={b.partition}
            type="button"
            className={on ? "chip on" : "chip"}
            aria-pressed={on}
            onClick={() => onChange(on ? selected.filter((p) => p !== b.partition) : [...selected, b.partition].sort((x, y) => x - y))}
            title={`offsets ${b.start}–${b.end}`}
            data-testid="partition-chip"
          >
            {b.partition} <span className="muted">{formatCount(b.end - b.start)}</span>
          </button>
        );
      })}
      <span className="muted small">
        {selected.length ? `${selected.length} selected` : "all"} · {formatCount(total)} records
      </span>
    </div>
  );
}
