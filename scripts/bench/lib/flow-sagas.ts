// bench:flows' sagas as kcat lines (`key<TAB>json`): started → checked → completed, every 20th
// reverted instead, every 100th stopping after checked. Shared by the backlog file and the paced
// feeder (flow-feeder.ts), which runs in its own process.
export const flowTypes = (flow: string) => ({ start: `${flow}Started`, step: `${flow}Checked`, done: `${flow}Completed`, undo: `${flow}Reverted` });

/** Events per saga on average (3, less the 1% that stop after two). */
export const EVENTS_PER_SAGA = 2.99;

export function sagaLines(flow: string, from: number, instances: number): string[] {
  const t = flowTypes(flow);
  const lines: string[] = [];
  for (let i = from; i < from + instances; i += 1) {
    const corr = `${flow}-${i}`;
    const event = (eventType: string, n: number, cause: string | null) =>
      `${corr}\t${JSON.stringify({ eventId: `${corr}-${n}`, eventType, timestamp: "", version: n, source: "bench", data: { id: i }, metadata: { correlationId: corr, causationId: cause } })}`;
    lines.push(event(t.start, 1, null));
    lines.push(event(t.step, 2, `${corr}-1`));
    if (i % 100 === 99) continue;
    lines.push(event(i % 20 === 19 ? t.undo : t.done, 3, `${corr}-2`));
  }
  return lines;
}
