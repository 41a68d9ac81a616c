// What each chaos scenario found, one JSON line per scenario and round, and the table printed at the
// end of a run (and written beside the results): lost, duplicated, the job's final state, and how
// long the stack took to recover. Recovery times are information, never asserted.
import fs from "node:fs";
import path from "node:path";

export const CHAOS_ARTIFACTS = path.resolve(import.meta.dirname, "../../artifacts/chaos");
const RESULTS = path.join(CHAOS_ARTIFACTS, "results.jsonl");
export const TABLE_FILE = path.join(CHAOS_ARTIFACTS, "table.md");

export interface ChaosResult {
  scenario: string;
  round: number;
  /** Source records the job had to write (replay) or redrive. */
  records: number;
  lost: number;
  duplicated: number;
  /** The job's status as the job page showed it at the end. */
  finalState: string;
  /** From the fault until the job wrote again (or the retried start answered); null if not measured. */
  recoveryMs: number | null;
  /** What else happened: attempts, which outcome a race had. */
  note: string;
}

export function clearResults(): void {
  fs.mkdirSync(CHAOS_ARTIFACTS, { recursive: true });
  fs.writeFileSync(RESULTS, "");
}

export function recordResult(result: ChaosResult): void {
  fs.mkdirSync(CHAOS_ARTIFACTS, { recursive: true });
  fs.appendFileSync(RESULTS, `${JSON.stringify(result)}\n`);
}

export function readResults(): ChaosResult[] {
  if (!fs.existsSync(RESULTS)) return [];
  return fs.readFileSync(RESULTS, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as ChaosResult);
}

export function renderTable(results: ChaosResult[]): string {
  const rows = results.map((r) => `| ${r.scenario}${results.some((x) => x.round > 1) ? ` (round ${r.round})` : ""} | ${r.records.toLocaleString("en-US")} | ${r.lost} | ${r.duplicated} | ${r.finalState} | ${r.recoveryMs === null ? "–" : `${(r.recoveryMs / 1000).toFixed(1)} s`} | ${r.note} |`);
  return ["| Scenario | Records | Lost | Duplicated | Final job state | Recovery time | Notes |", "|---|---:|---:|---:|---|---:|---|", ...rows].join("\n");
}
