// Resident memory and CPU time of a process and all its descendants, read from /proc (Linux). A
// server is more than its first process (next start, a shell pipeline), so benchmarks measure the tree.
import fs from "node:fs";

export interface ProcessUsage {
  pid: number;
  command: string;
  rssMb: number;
  /** The process's own peak resident set (VmHWM), MB. */
  peakRssMb: number;
  cpuSeconds: number;
}

/** USER_HZ on Linux: the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name in parentheses may contain spaces; the fields after it do not.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** Every live process of the tree rooted at `rootPid` (the root first); empty when the root is gone. */
export function processTree(rootPid: number): ProcessUsage[] {
  const children = childrenByParent();
  const result: ProcessUsage[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).slice(0, 2).map((a) => a.split("/").pop()).join(" ");
      result.push({ pid, command, rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS });
    } catch {
      // Gone.
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return result;
}

/** Resident memory of the whole tree, MB (shared pages count once per process, as RSS does). */
export function treeRssMb(rootPid: number): number {
  return processTree(rootPid).reduce((total, p) => total + p.rssMb, 0);
}
