// Counts the errors and warnings Signalbox's processes print. Their own lines are JSON
// (src/lib/logger.ts: one object per line with `level`); what Node and Next.js print themselves
// (an uncaught exception, Next's "⨯" request errors) is plain text and counted by its look.

export interface LoggedProblems {
  errors: number;
  warnings: number;
  /** The first distinct error messages, in order of first appearance, with how often each came. */
  distinctErrors: Map<string, number>;
  distinctWarnings: Map<string, number>;
}

const MAX_DISTINCT = 20;
const MESSAGE_CHARS = 200;

type Level = "error" | "warn" | null;

function classify(line: string): { level: Level; message: string } {
  const trimmed = line.trim();
  if (trimmed.startsWith("{")) {
    try {
      const entry = JSON.parse(trimmed) as { level?: string; component?: string; message?: string; error?: unknown };
      const level = entry.level === "error" ? "error" : entry.level === "warn" ? "warn" : null;
      const detail = typeof entry.error === "string" ? `: ${entry.error}` : "";
      return { level, message: `${entry.component ?? "?"}: ${entry.message ?? ""}${detail}` };
    } catch {
      // Not JSON after all: judged as text below.
    }
  }
  // Stack frames belong to the error line before them; counting them would count one error many times.
  if (/^at\s/.test(trimmed)) return { level: null, message: trimmed };
  if (/^⨯|^\[?error\]?\b|^(Uncaught|Unhandled)|^[A-Za-z]*Error:|^Error\b/i.test(trimmed)) return { level: "error", message: trimmed };
  if (/^⚠|^\(node:\d+\) \w*Warning|^warn(ing)?\b/i.test(trimmed)) return { level: "warn", message: trimmed };
  return { level: null, message: trimmed };
}

export class ProblemCounter {
  private readonly byProcess = new Map<string, LoggedProblems>();

  /** Feeds one line a process printed. */
  add(processName: string, line: string): void {
    const { level, message } = classify(line);
    if (!level) return;
    const problems = this.of(processName);
    // Numbers and ids differ between otherwise equal messages; they would hide the repeats.
    const key = message.replace(/\b[0-9a-f]{8}-[0-9a-f-]{27}\b/gi, "<id>").replace(/\d+/g, "<n>").slice(0, MESSAGE_CHARS);
    const distinct = level === "error" ? problems.distinctErrors : problems.distinctWarnings;
    if (level === "error") problems.errors += 1;
    else problems.warnings += 1;
    if (distinct.has(key)) distinct.set(key, distinct.get(key)! + 1);
    else if (distinct.size < MAX_DISTINCT) distinct.set(key, 1);
  }

  of(processName: string): LoggedProblems {
    let problems = this.byProcess.get(processName);
    if (!problems) {
      problems = { errors: 0, warnings: 0, distinctErrors: new Map(), distinctWarnings: new Map() };
      this.byProcess.set(processName, problems);
    }
    return problems;
  }
}
