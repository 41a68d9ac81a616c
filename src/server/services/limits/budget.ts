// A scan's budget: how many records it may read and for how long. A page or a trace that reaches
// it stops and reports what it found and where it got to, instead of reading a huge topic to the
// end while the user waits (and the broker and this process work for nobody).
import { getEnv } from "~/env";
import { formatCount, formatDuration } from "~/lib/format";

export interface ScanBudgetOptions {
  maxRecords: number;
  maxMs: number;
  /** The clock; tests pass their own. */
  now?: () => number;
}

/** Why a scan stopped early, in words for people and in parts for code. */
export interface BudgetStop {
  reason: "records" | "time";
  /** The limit that was reached: records, or milliseconds. */
  limit: number;
  /** The configuration variable that sets it. */
  variable: "SCAN_MAX_RECORDS" | "SCAN_MAX_MS";
  message: string;
}

export function scanBudgetFromEnv(env = getEnv()): ScanBudgetOptions {
  return { maxRecords: env.SCAN_MAX_RECORDS, maxMs: env.SCAN_MAX_MS };
}

export class ScanBudget {
  private read = 0;
  private readonly startedAt: number;
  private readonly now: () => number;
  /** Set once the budget is spent; the scan stops at the next record. */
  stop: BudgetStop | null = null;

  constructor(private readonly options: ScanBudgetOptions = scanBudgetFromEnv()) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Counts `records` read; false once the budget is spent (then `stop` says why). */
  spend(records = 1): boolean {
    this.read += records;
    if (!this.stop && this.read >= this.options.maxRecords) {
      this.stop = {
        reason: "records",
        limit: this.options.maxRecords,
        variable: "SCAN_MAX_RECORDS",
        message: `Stopped after reading ${formatCount(this.options.maxRecords)} records, the most one scan may read (SCAN_MAX_RECORDS=${this.options.maxRecords}).`,
      };
    }
    return this.check();
  }

  /** Checks the clock only; false once the budget is spent. */
  check(): boolean {
    if (!this.stop && this.now() - this.startedAt >= this.options.maxMs) {
      this.stop = {
        reason: "time",
        limit: this.options.maxMs,
        variable: "SCAN_MAX_MS",
        message: `Stopped after ${formatDuration(this.options.maxMs / 1000)}, the longest one scan may run (SCAN_MAX_MS=${this.options.maxMs}).`,
      };
    }
    return this.stop === null;
  }
}
