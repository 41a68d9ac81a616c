// Writes bench:flows' sagas to stdout at a steady pace, for kcat to produce: ten batches a second of
// `perTick` sagas of one flow, for `seconds`. Run in its own process, so producing costs the
// monitor under test no CPU time of its own thread.
import { sagaLines } from "./flow-sagas";

const [flow = "Alpha", fromArg = "0", perTickArg = "100", secondsArg = "60"] = process.argv.slice(2);
let next = Number(fromArg);
const perTick = Number(perTickArg);
const end = Date.now() + Number(secondsArg) * 1000;
const timer = setInterval(() => {
  if (Date.now() >= end) {
    clearInterval(timer);
    process.stdout.end();
    return;
  }
  process.stdout.write(`${sagaLines(flow, next, perTick).join("\n")}\n`);
  next += perTick;
}, 100);
