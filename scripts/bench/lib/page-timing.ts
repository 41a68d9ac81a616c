// Timing and tracing inside a Chromium page, without the driver's round trips: Playwright's
// fill-then-waitFor adds its own polling and IPC to every step, which at 50k rows was most of what a
// "filter" row measured.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

/**
 * Runs `action` (JavaScript, in the page) and resolves with the milliseconds until `done` (a JavaScript
 * expression, in the page) holds after a DOM change, up to the start of the next frame: what a person
 * waits between the event and the answer on screen.
 */
export async function timeInPage(page: Page, action: string, done: string, timeoutMs = 60_000): Promise<number> {
  // A string, not a function: tsx wraps named inner functions in a helper the page does not have.
  return page.evaluate(`new Promise((resolve, reject) => {
    const done = () => { try { return Boolean(${done}); } catch { return false; } };
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error("not done after ${timeoutMs} ms: " + ${JSON.stringify(done)})); }, ${timeoutMs});
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    const start = performance.now();
    ${action};
  })`) as Promise<number>;
}

/** In-page JavaScript that types `value` into the input `selector` at once, as Playwright's fill does (one input event React sees). */
export function typeInto(selector: string, value: string): string {
  return `(() => {
    const input = document.querySelector(${JSON.stringify(selector)});
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(input, ${JSON.stringify(value)});
    input.dispatchEvent(new Event("input", { bubbles: true }));
  })()`;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { type?: string; url?: string; requestId?: string } };
}

export interface PageTrace {
  /** Milliseconds of each kind of work on the page's main thread, most first (kinds nest, so rows overlap; RunTask is the busy time). */
  kinds: { where: string; ms: number }[];
  /** Busy time of every thread of the browser that worked (compositor, raster, GPU…), by thread name: what the main thread hands off. */
  threads: { where: string; ms: number }[];
  /** From the input event or click: when the first tRPC request left, and when its answer had arrived (null when there was none). */
  requestSentMs: number | null;
  answerArrivedMs: number | null;
}

/**
 * Runs `during` (one input or click and its answer) under a Chromium trace (the DevTools timeline's
 * categories) and reads from it where the time went: the page's main thread's work by kind (script,
 * style, layout, paint, garbage collection), and when the step's tRPC request left and its answer
 * arrived. The whole trace is written to `name`.trace.json under the system's temp directory, for
 * DevTools' Performance panel.
 */
export async function traceInPage(page: Page, name: string, during: () => Promise<unknown>, topN = 12): Promise<PageTrace> {
  const browser = page.context().browser();
  if (!browser) throw new Error("traceInPage needs a launched browser");
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink.user_timing"] });
  let events: TraceEvent[];
  try {
    await during();
  } finally {
    const bytes = await browser.stopTracing();
    writeFileSync(path.join(process.env.TMPDIR || "/tmp", `${name}.trace.json`), bytes);
    events = (JSON.parse(bytes.toString("utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  }
  const mains = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const main = mains.map((m) => ({ m, n: events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === "X").length })).sort((a, b) => b.n - a.n)[0]?.m;
  // Each thread's top-level tasks, summed under the thread's name (a name shared by a pool, such as
  // CompositorTileWorker, adds up).
  const names = new Map(events.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [`${e.pid}/${e.tid}`, e.args?.name ?? "?"]));
  const busy = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== "X" || !e.dur || (e.name !== "ThreadControllerImpl::RunTask" && e.name !== "RunTask")) continue;
    const where = names.get(`${e.pid}/${e.tid}`) ?? "?";
    busy.set(where, (busy.get(where) ?? 0) + e.dur / 1000);
  }
  const threads = [...busy].map(([where, ms]) => ({ where, ms })).sort((a, b) => b.ms - a.ms).slice(0, topN);
  if (!main) return { kinds: [], threads, requestSentMs: null, answerArrivedMs: null };
  const sums = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== "X" || !e.dur) continue;
    sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
  }
  const kinds = [...sums].map(([where, ms]) => ({ where, ms })).sort((a, b) => b.ms - a.ms).slice(0, topN);
  const start = events.find((e) => e.name === "EventDispatch" && (e.args?.data?.type === "input" || e.args?.data?.type === "click"))?.ts;
  if (start === undefined) return { kinds, threads, requestSentMs: null, answerArrivedMs: null };
  const sent = events.filter((e) => e.name === "ResourceSendRequest" && e.ts >= start && e.args?.data?.url?.includes("/api/trpc/")).sort((a, b) => a.ts - b.ts)[0];
  const finished = sent && events.find((e) => e.name === "ResourceFinish" && e.args?.data?.requestId === sent.args?.data?.requestId);
  return { kinds, threads, requestSentMs: sent ? (sent.ts - start) / 1000 : null, answerArrivedMs: finished ? (finished.ts - start) / 1000 : null };
}
