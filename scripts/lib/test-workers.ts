// Real worker processes for the tests that kill one mid-job (replay, DLQ redrive, the chaos suite):
// each worker's last lines are kept to print when the test fails, and stopping never hangs.
import path from "node:path";
import { REPO_ROOT } from "./local-kafka";
import { SERVER_CONDITION, startProcess, type ManagedProcess } from "./processes";
import { startWorkerProcess } from "./stack";

const KEEP_LINES = 40;

export interface TestWorkersOptions {
  /** Run the production bundle (dist/worker, built beforehand) instead of the sources under tsx. */
  bundle?: boolean;
  /** Every line each worker prints, with its name (e.g. to keep a full log, or find who ran a job). */
  onLine?: (worker: string, line: string) => void;
}

export class TestWorkers {
  private readonly workers: { process: ManagedProcess; lines: string[] }[] = [];

  constructor(
    private readonly env: Record<string, string>,
    private readonly options: TestWorkersOptions = {},
  ) {}

  /** Starts one more worker in its own process group. */
  spawn(): ManagedProcess {
    const lines: string[] = [];
    const name = `worker-${this.workers.length + 1}`;
    const childOptions = {
      cwd: REPO_ROOT,
      env: this.env,
      quiet: true,
      onLine: (line: string) => {
        lines.push(line);
        if (lines.length > KEEP_LINES) lines.shift();
        this.options.onLine?.(name, line);
      },
    };
    const worker = this.options.bundle ? startWorkerProcess(name, childOptions) : startProcess(name, path.join(REPO_ROOT, "node_modules/.bin/tsx"), [...SERVER_CONDITION, "src/worker/index.ts"], childOptions);
    this.workers.push({ process: worker, lines });
    return worker;
  }

  /** The workers that have not exited. */
  alive(): ManagedProcess[] {
    return this.workers.map((w) => w.process).filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  }

  /** Prints every worker's last lines: call it when the test fails. */
  printLastLines(): void {
    for (const w of this.workers) console.log(`--- last lines of ${w.process.name}:\n${w.lines.join("\n")}`);
  }

  /** SIGTERM, SIGKILL after 15 s: a worker that does not stop must not hang the suite. */
  async stopAll(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.process.stop(15_000)));
  }
}
