// Summarises a .cpuprofile: wall time, idle, garbage collection, and the functions with the most
// self time (with their file), so a benchmark's note can say where the time went.
// Usage: node scripts/bench/lib/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile-summary.mjs <file.cpuprofile> [top]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const byFunction = new Map();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id);
  const where = callFrame.url ? callFrame.url.replace(/^.*\/(node_modules|src)\//, "$1/") : "";
  const key = `${callFrame.functionName || "(anonymous)"}  ${where}${where ? `:${callFrame.lineNumber + 1}` : ""}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const total = profile.endTime - profile.startTime;
const ms = (us) => (us / 1000).toFixed(0).padStart(6);
console.log(`wall ${ms(total)} ms`);
for (const name of ["(idle)", "(garbage collector)", "(program)"]) {
  const entry = [...byFunction].find(([k]) => k.startsWith(`${name} `) || k === name);
  console.log(`${name.padEnd(20)} ${ms(entry?.[1] ?? 0)} ms`);
}
console.log("");
const top = [...byFunction].filter(([k]) => !k.startsWith("(")).sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25));
for (const [key, us] of top) console.log(`${ms(us)} ms  ${key}`);
