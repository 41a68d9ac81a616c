// Rate limiting for jobs: record n (counting from 0, the first record written since the job
// started or resumed) is not written before t0 + n / rate, where t0 is when the first record went.
// There is no burst allowance, so N records at R per second take at least (N − 1) / R seconds.
import { sleep } from "~/lib/time";

export class Pacer {
  private startedAt: number | null = null;
  private sent = 0;

  constructor(
    readonly ratePerSec: number | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds to wait before records [sent, sent + count) may go; 0 when they may go now. */
  delayFor(count: number): number {
    if (!this.ratePerSec || count <= 0) return 0;
    const lastSlot = (this.startedAt ?? this.now()) + ((this.sent + count - 1) / this.ratePerSec) * 1000;
    return Math.max(0, lastSlot - this.now());
  }

  /** How many records to put in one batch so a rate-limited job still commits a few times a second. */
  batchSize(max: number): number {
    if (!this.ratePerSec) return max;
    return Math.max(1, Math.min(max, Math.floor(this.ratePerSec / 4)));
  }

  /**
   * Waits until `count` more records may be written, then counts them as sent. False when aborted
   * first. The slots are taken before the wait, so writers that acquire at once (a job's writers run
   * side by side) queue one behind the other instead of all going at the same moment.
   */
  async acquire(count: number, signal?: AbortSignal): Promise<boolean> {
    this.startedAt ??= this.now();
    const delay = this.delayFor(count);
    const due = this.now() + delay;
    this.sent += count;
    if (delay > 0) await sleep(delay, signal);
    if (signal?.aborted && this.now() < due) {
      this.sent -= count;
      return false;
    }
    return true;
  }
}
