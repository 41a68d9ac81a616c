// Real worker processes for the integration tests that kill one mid-job (replay, DLQ redrive):
// each worker's last lines are kept to print when the test fails, and stopping never hangs.
import path from "node:path";
import { REPO_ROOT } from "./local-kafka";
import { SERVER_CONDITION, startProcess, type ManagedProcess } from "./processes";

const KEEP_LINES = 40;

export class TestWorkers {
  private readonly workers: { process: ManagedProcess; lines: string[] }[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** Starts one more worker (`src/worker/index.ts` under tsx) in its own process group. */
  spawn(): ManagedProcess {
    const lines: string[] = [];
    const worker = startProcess(`worker-${this.workers.length + 1}`, path.join(REPO_ROOT, "node_modules/.bin/tsx"), [...SERVER_CONDITION, "src/worker/index.ts"], {
      cwd: REPO_ROOT,
      env: this.env,
      quiet: true,
      onLine: (line) => {
        lines.push(line);
        if (lines.length > KEEP_LINES) lines.shift();
      },
    });
    this.workers.push({ process: worker, lines });
    return worker;
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
