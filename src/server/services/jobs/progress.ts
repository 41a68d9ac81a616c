// Rate and ETA of a running job, from the progress it reported over the last seconds.
import type { JobProgress } from "./types";

export interface ProgressSample {
  at: number;
  read: number;
  written: number;
}

/** Keeps the samples of the last `windowMs` and derives rates from the oldest and newest. */
export class ProgressMeter {
  private samples: ProgressSample[] = [];
  constructor(private readonly windowMs = 10_000) {}

  measure(progress: Omit<JobProgress, "ratePerSec" | "etaSeconds" | "updatedAt">, at: number): JobProgress {
    this.samples.push({ at, read: progress.read, written: progress.written });
    while (this.samples.length > 2 && this.samples[0]!.at < at - this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const writeRate = seconds > 0.2 ? (progress.written - first.written) / seconds : null;
    const readRate = seconds > 0.2 ? (progress.read - first.read) / seconds : null;
    return { ...progress, ratePerSec: writeRate, etaSeconds: eta(progress, writeRate, readRate), updatedAt: at };
  }
}

/** Time left: by what remains to write when the dry run said how much, else by what remains to read. */
export function eta(progress: Pick<JobProgress, "read" | "written" | "expected" | "toRead">, writeRate: number | null, readRate: number | null): number | null {
  if (progress.expected !== null && writeRate && writeRate > 0) return Math.max(0, (progress.expected - progress.written) / writeRate);
  if (progress.toRead !== null && readRate && readRate > 0) return Math.max(0, (progress.toRead - progress.read) / readRate);
  return null;
}
