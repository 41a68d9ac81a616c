// One server-sent stream per browser carries every "something changed" announcement the console's
// pages refetch on: stored samples, DLQ changes, DLQ index rounds and job changes. A stream per kind
// (four per tab) ran into the browser's limit of six HTTP/1.1 connections per host: with a few tabs
// open, every further request queued behind the streams. The browser shares this one stream between
// its tabs too (src/components/live/live-events.tsx).
import { visibleTo } from "~/server/services/auth/authorize";
import { dlqChanges } from "~/server/services/dlq/changes";
import { dlqIndexRounds } from "~/server/services/dlq/index-requests";
import { jobChanges } from "~/server/services/jobs/jobs";
import { snapshotAnnouncements } from "~/server/services/lag/queries";
import { whenListening } from "~/server/catalog";
import { mergeStreams } from "../stream";
import { createTRPCRouter, globalViewerProcedure } from "../trpc";

export type LiveEvent =
  /** A sample of `cluster` was stored: lag, alerts and the topology refetch. */
  | { kind: "sample"; cluster: string; takenAt: number }
  /** Records indexed, claimed, redriven or discarded, or declarations changed, in these DLQ topics of `cluster`. */
  | { kind: "dlq"; cluster: string; topics: string[] }
  /** The worker finished an index round over these DLQ topics of `cluster`: their index status refetches. */
  | { kind: "dlqIndex"; cluster: string; topics: string[] }
  /** A job was created, progressed or finished. */
  | { kind: "job"; id: number }
  /**
   * Sent once, when this stream's announcements can no longer be missed (PostgreSQL listens for
   * them). The browser refetches what it shows then, not when the response starts: an announcement
   * made between the two would otherwise be lost (a job that finished in that gap stayed "running").
   */
  | { kind: "ready" };

async function* tagged<T, E extends LiveEvent>(source: AsyncGenerator<T>, tag: (value: T) => E | null): AsyncGenerator<E> {
  for await (const value of source) {
    const event = tag(value);
    if (event) yield event;
  }
}

async function* ready(): AsyncGenerator<LiveEvent> {
  await whenListening();
  yield { kind: "ready" };
}

export const liveRouter = createTRPCRouter({
  events: globalViewerProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<LiveEvent> {
    // A scoped reader hears only of the DLQ topics it may see, in the cluster the announcement names.
    // Every cluster's events come through: the browser keeps those of the cluster it shows.
    const visible = (cluster: string, topics: string[]) => visibleTo(ctx.actor, topics, (topic) => ({ cluster, topics: [topic] }));
    yield* mergeStreams<LiveEvent>([
      tagged(snapshotAnnouncements(signal), ({ cluster, takenAt }) => ({ kind: "sample", cluster, takenAt })),
      tagged(dlqChanges(signal), ({ cluster, topics }) => {
        const shown = visible(cluster, topics);
        return shown.length ? { kind: "dlq", cluster, topics: shown } : null;
      }),
      tagged(dlqIndexRounds(signal), ({ cluster, topics }) => {
        const shown = visible(cluster, topics);
        return shown.length ? { kind: "dlqIndex", cluster, topics: shown } : null;
      }),
      tagged(jobChanges(signal), ({ id }) => ({ kind: "job", id })),
      // Last: the sources above register their listeners as the merge starts them, in order.
      ready(),
    ]);
  }),
});
