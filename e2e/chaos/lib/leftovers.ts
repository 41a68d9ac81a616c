// Processes the chaos suite started, by process group id, in a file: if a run is interrupted (a test
// worker killed at its timeout, Ctrl-C), the global teardown stops what is still running from it.
// Only ids written here are ever signalled.
import fs from "node:fs";
import path from "node:path";
import type { ManagedProcess } from "../../../scripts/lib/processes";
import { CHAOS_ARTIFACTS } from "./report";

const REGISTRY = path.join(CHAOS_ARTIFACTS, "pids.txt");

function read(): Set<number> {
  if (!fs.existsSync(REGISTRY)) return new Set();
  return new Set(fs.readFileSync(REGISTRY, "utf8").split("\n").map(Number).filter((n) => Number.isInteger(n) && n > 0));
}

function write(pids: Set<number>): void {
  fs.mkdirSync(CHAOS_ARTIFACTS, { recursive: true });
  fs.writeFileSync(REGISTRY, [...pids].join("\n"));
}

export function rememberProcess(p: ManagedProcess): void {
  if (p.child.pid) write(read().add(p.child.pid));
}

export function forgetProcess(p: ManagedProcess): void {
  const pids = read();
  if (p.child.pid && pids.delete(p.child.pid)) write(pids);
}

/** SIGKILLs the process group of every remembered process that still runs; returns how many. */
export function killLeftovers(): number {
  let killed = 0;
  for (const pid of read()) {
    try {
      process.kill(-pid, "SIGKILL");
      killed += 1;
    } catch {
      // Already gone.
    }
  }
  write(new Set());
  return killed;
}
