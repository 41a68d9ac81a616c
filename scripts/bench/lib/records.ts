// Test data for the kcat-fed benchmarks: a file of `key<TAB>JSON` lines, each value padded to about
// 1 KB, written once per (name, count) into the temp directory and reused by later runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const TARGET_BYTES = 1024;
const LINES_PER_WRITE = 10_000;

/** The file's path; `record(i)` gives the i-th record's key and value (before padding). */
export function recordsFile(name: string, count: number, record: (i: number) => { key: string; value: Record<string, unknown> }): string {
  const file = path.join(os.tmpdir(), `signalbox-bench-${name}-${count}.tsv`);
  if (fs.existsSync(file)) return file;
  const partial = `${file}.partial`;
  const out = fs.openSync(partial, "w");
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { key, value } = record(i);
    const json = JSON.stringify(value);
    // 14 = the length of `,"padding":""`.
    lines.push(`${key}\t${JSON.stringify({ ...value, padding: "p".repeat(Math.max(0, TARGET_BYTES - json.length - 14)) })}`);
    if (lines.length === LINES_PER_WRITE) {
      fs.writeSync(out, `${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(out, `${lines.join("\n")}\n`);
  fs.closeSync(out);
  // Renamed only when complete, so an interrupted run never leaves a short file to be reused.
  fs.renameSync(partial, file);
  return file;
}
