"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import type { SchemaVersionView, VersionComparison } from "./types";

type DiffLine = { kind: "added" | "removed" | "same"; text: string } | { kind: "gap"; count: number };

const CONTEXT = 3;

/** Unified diff lines, with long unchanged stretches folded to a few lines of context either side. */
function collapse(parts: VersionComparison["lines"]): DiffLine[] {
  const lines: { kind: "added" | "removed" | "same"; text: string }[] = parts.flatMap((part) =>
    part.value
      .replace(/\n$/, "")
      .split("\n")
      .map((text) => ({ kind: part.added ? ("added" as const) : part.removed ? ("removed" as const) : ("same" as const), text })),
  );
  const near = lines.map((_, i) => lines.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((l) => l.kind !== "same"));
  const out: DiffLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (near[i] || lines.every((l) => l.kind === "same")) out.push(lines[i]!);
    else {
      const last = out.at(-1);
      if (last?.kind === "gap") last.count += 1;
      else out.push({ kind: "gap", count: 1 });
    }
  }
  return out;
}

/** Two versions side by side in one unified diff, with what changed in compatibility terms. */
export function VersionDiff({ name, versions }: { name: string; versions: SchemaVersionView[] }) {
  const trpc = useTRPC();
  const latest = versions.at(-1)?.version ?? 1;
  // Versions may have gaps (deleted ones): the one before the latest in the list, not latest - 1.
  const [from, setFrom] = useState(versions.at(-2)?.version ?? latest);
  const [to, setTo] = useState(latest);
  const comparison = useQuery({ ...trpc.schemas.compare.queryOptions({ name, from, to }), enabled: versions.length > 0 });

  const picker = (value: number, onChange: (v: number) => void, label: string, testId: string) => (
    <label className="inline-field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="card section" data-testid="version-diff">
      <div className="section-bar">
        <h2 className="section-title">Compare versions</h2>
        <div className="inline-fields">
          {picker(from, setFrom, "from", "diff-from")}
          <span className="muted">→</span>
          {picker(to, setTo, "to", "diff-to")}
        </div>
      </div>
      {comparison.isPending ? (
        <div className="skeleton" style={{ height: 120 }} />
      ) : comparison.isError ? (
        <p className="error-text">{comparison.error.message}</p>
      ) : (
        <>
          <div className="diff-verdicts">
            <span className={`badge ${comparison.data.backwardCompatible ? "ok" : "bad"}`} data-testid="diff-backward">
              v{to} reads v{from} data: {comparison.data.backwardCompatible ? "yes" : "no"}
            </span>
            <span className={`badge ${comparison.data.forwardCompatible ? "ok" : "bad"}`} data-testid="diff-forward">
              v{from} reads v{to} data: {comparison.data.forwardCompatible ? "yes" : "no"}
            </span>
          </div>
          {from === to ? (
            <p className="muted">Pick two different versions to see what changed.</p>
          ) : comparison.data.changes.length === 0 ? (
            <p className="muted" data-testid="diff-no-changes">
              No difference in meaning (formatting or key order only).
            </p>
          ) : (
            <ul className="change-list" data-testid="diff-changes">
              {comparison.data.changes.map((c, i) => (
                <li key={`${c.type}-${c.path}-${i}`} className={c.compatible ? "compatible" : "breaking"} data-testid="diff-change" data-type={c.type}>
                  <span className={`badge ${c.compatible ? "ok" : "bad"}`}>{c.compatible ? "compatible" : "breaking"}</span>
                  <span>{c.message}</span>
                  <span className="mono muted small">
                    {c.type} {c.path}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <pre className="line-diff mono" data-testid="line-diff">
            {collapse(comparison.data.lines).map((line, i) =>
              line.kind === "gap" ? (
                <span key={i} className="line gap">
                  ⋯ {line.count} unchanged line{line.count === 1 ? "" : "s"}
                  {"\n"}
                </span>
              ) : (
                <span key={i} className={`line ${line.kind}`}>
                  <span className="line-mark">{line.kind === "added" ? "+" : line.kind === "removed" ? "−" : " "}</span>
                  {line.text}
                  {"\n"}
                </span>
              ),
            )}
          </pre>
        </>
      )}
    </section>
  );
}
