"use client";

import { useQuery } from "@tanstack/react-query";
import { formatAge, formatClock } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { LiveState } from "./use-live-refresh";
import { useNow } from "./use-now";

/** Until two announcements show the real interval, allow a minute before calling samples stale. */
const DEFAULT_STALE_MS = 60_000;

/**
 * The freshness of the data on screen: the newest sample (from `lag.sampler`, or announced live)
 * and whether it is stale. The server says stale when it answers; the local clock catches a
 * worker that stops announcing after that.
 */
export function useSamplerFreshness(live: LiveState) {
  const trpc = useTRPC();
  const sampler = useQuery(trpc.lag.sampler.queryOptions());
  const now = useNow(1000);
  const takenAt = Math.max(sampler.data?.takenAt ?? 0, live.lastTakenAt ?? 0) || null;
  const staleAfter = live.intervalMs ? Math.max(3 * live.intervalMs, 15_000) : DEFAULT_STALE_MS;
  const age = takenAt === null ? null : Math.max(0, now - takenAt);
  const newer = live.lastTakenAt !== null && live.lastTakenAt > (sampler.data?.takenAt ?? 0);
  const stale = takenAt === null || (!newer && Boolean(sampler.data?.stale)) || (age !== null && age > staleAfter);
  return { loaded: sampler.isSuccess, error: sampler.error?.message ?? null, takenAt, age, stale, cycleMs: sampler.data?.cycleMs ?? null };
}

/** Warns when the worker has not sampled yet, or not lately: the numbers below would be old. */
export function SamplerBanner({ live }: { live: LiveState }) {
  const fresh = useSamplerFreshness(live);
  if (fresh.error) {
    return (
      <div className="banner bad" role="alert" data-testid="sampler-banner">
        <strong>Could not ask for the sampler&apos;s state</strong>
        <span>{fresh.error}</span>
      </div>
    );
  }
  if (!fresh.loaded || !fresh.stale) return null;
  if (fresh.takenAt === null) {
    return (
      <div className="banner warn" role="status" data-testid="sampler-banner">
        <strong>The worker has not sampled yet…</strong>
        <span>
          Last sample: none. Lag and throughput appear after the worker&apos;s first sample; it samples every few seconds once it runs (<span className="mono">npm run worker</span>). This page updates by itself.
        </span>
      </div>
    );
  }
  return (
    <div className="banner warn" role="status" data-testid="sampler-banner">
      <strong>The worker has not sampled for {formatAge(fresh.age ?? 0)}…</strong>
      <span>
        Last sample {formatAge(fresh.age ?? 0)} ago, at {formatClock(fresh.takenAt)}. The numbers below are from then; check that the worker is running. This page updates by itself when it samples again.
      </span>
    </div>
  );
}

/** "Live · sampled 3 s ago", or why it is not live. */
export function LiveIndicator({ live }: { live: LiveState }) {
  const fresh = useSamplerFreshness(live);
  const on = live.connected && !fresh.stale;
  let text: string;
  if (live.status === "reconnecting") text = "Reconnecting…";
  else if (!live.connected) text = "Connecting…";
  else if (fresh.takenAt === null) text = "Live · waiting for the first sample";
  else text = `Live · sampled ${formatAge(fresh.age ?? 0)} ago`;
  return (
    <span className={on ? "live" : "live off"} data-testid="live-indicator" title={fresh.takenAt ? `Newest sample: ${new Date(fresh.takenAt).toLocaleString()}${fresh.cycleMs !== null ? ` (took ${fresh.cycleMs} ms)` : ""}` : undefined}>
      <span className="dot" />
      {text}
    </span>
  );
}
