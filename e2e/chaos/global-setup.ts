// Before a chaos run: stop what an interrupted earlier run left behind, and start a new results file.
import { killLeftovers } from "./lib/leftovers";
import { clearResults } from "./lib/report";

export default function globalSetup() {
  const killed = killLeftovers();
  if (killed > 0) console.log(`[chaos] stopped ${killed} process group(s) an earlier run left behind`);
  clearResults();
}
