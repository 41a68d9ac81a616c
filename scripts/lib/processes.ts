// Child processes for the local stack: each runs in its own process group so it can be stopped whole,
// and its output is prefixed with its name.
import { spawn, type ChildProcess } from "node:child_process";

/**
 * Node flags for running our TypeScript under tsx: broker/ and catalog/ import "server-only", whose
 * plain entry throws; under React's "react-server" condition it is empty (no script imports React).
 */
export const SERVER_CONDITION = ["--conditions=react-server"];

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL to the whole process group at once (a crash, for the chaos suite); resolves once it is gone. */
  kill(): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; quiet?: boolean; onLine?: (line: string) => void } = {},
): ManagedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${name}]`.padEnd(10);
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        options.onLine?.(line);
        if (!options.quiet) process.stdout.write(`${prefix} ${line}\n`);
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child, "SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, "SIGKILL");
      await exited;
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], options: { env?: Record<string, string | undefined>; cwd?: string; echo?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      if (options.echo) process.stdout.write(c);
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (options.echo) process.stderr.write(c);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${stderr || stdout}`));
    });
  });
}
