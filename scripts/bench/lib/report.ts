// How a benchmark talks: progress lines prefixed "[bench]", and its result as a Markdown table that
// can be pasted into the docs as printed.

export function say(message: string): void {
  console.log(`[bench] ${message}`);
}

/** Prints a two-column Markdown table (measure, result), with a blank line before and after. */
export function printMeasureTable(rows: readonly (readonly [string, string])[]): void {
  console.log("\n| Measure | Result |\n|---|---|");
  for (const [measure, result] of rows) console.log(`| ${measure} | ${result} |`);
  console.log("");
}

/** Prints a Markdown table; `align` marks numeric columns right-aligned. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ("left" | "right")[] = []): void {
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map((_, i) => (align[i] === "right" ? "---:" : "---")).join("|")}|`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}

/** Runs a benchmark's main function; a failure prints its stack and exits non-zero. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
