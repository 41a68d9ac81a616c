"use client";

// Each scan, tail, trace or dry run is one mounted runner with one tRPC subscription (SSE).
// Unmounting it closes the stream, and the server's AbortSignal stops the scan: that is "cancel".
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "~/trpc/react";
import type { PlanEvent, ReplayRequestInput, ScanEvent, ScanInput, TraceEvent } from "./types";

interface RunnerProps<Input, Event> {
  input: Input;
  onEvent: (event: Event) => void;
  onError: (message: string) => void;
}

export function ScanRunner({ input, onEvent, onError }: RunnerProps<ScanInput, ScanEvent>) {
  const trpc = useTRPC();
  useSubscription(trpc.messages.scan.subscriptionOptions(input, { onData: onEvent, onError: (e) => onError(e.message) }));
  return null;
}

export function TailRunner({ input, onEvent, onError }: RunnerProps<Omit<ScanInput, "start" | "cursor" | "limit">, ScanEvent>) {
  const trpc = useTRPC();
  useSubscription(trpc.messages.tail.subscriptionOptions(input, { onData: onEvent, onError: (e) => onError(e.message) }));
  return null;
}

export function TraceRunner({ input, onEvent, onError }: RunnerProps<{ id: string; from: number; to: number; topics?: string[] }, TraceEvent>) {
  const trpc = useTRPC();
  useSubscription(trpc.messages.trace.subscriptionOptions(input, { onData: onEvent, onError: (e) => onError(e.message) }));
  return null;
}

export function DryRunRunner({ input, onEvent, onError }: RunnerProps<ReplayRequestInput, PlanEvent>) {
  const trpc = useTRPC();
  useSubscription(trpc.replay.dryRun.subscriptionOptions(input, { onData: onEvent, onError: (e) => onError(e.message) }));
  return null;
}

export function ProgressBar({ done, total, label, testId }: { done: number; total: number; label: React.ReactNode; testId: string }) {
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return (
    <div className="scan-progress" data-testid={testId}>
      <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="small muted">{label}</div>
    </div>
  );
}
