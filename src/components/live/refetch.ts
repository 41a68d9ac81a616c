// How a live announcement makes the queries that show the changed thing fetch again.
import type { InvalidateQueryFilters, Query, QueryClient, QueryKey } from "@tanstack/react-query";
import type { LiveEvent } from "./live-hub";

/** A query's first fetch, still running: it may have read the state before the announced change. */
function inFirstFetch(query: Query): boolean {
  return query.state.data === undefined && query.state.fetchStatus === "fetching";
}

/** Resolves when `query` is no longer fetching (answered, failed or cancelled). */
function settled(queryClient: QueryClient, query: Query): Promise<void> {
  return new Promise((resolve) => {
    const done = () => query.state.fetchStatus !== "fetching";
    if (done()) return resolve();
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.query !== query || !done()) return;
      unsubscribe();
      resolve();
    });
  });
}

/**
 * Marks the matching queries stale and refetches the ones on screen, so they show the state after
 * the announced change.
 *
 * `invalidateQueries` alone loses the announcement for a query whose first fetch is still in
 * flight: TanStack cancels an in-flight fetch for the refetch only when the query already has data;
 * otherwise the refetch joins the running fetch, which may have read the state before the change,
 * and its result clears the "invalidated" mark. A redrive that finished within the first read of
 * its job stayed "running" on the page (seen in CI). Such a first fetch is let finish, so the page
 * shows something at once, and is fetched again right after. (Cancelling it instead made every live
 * page wait for two reads in a row on load: the live stream's opening announces a resync while the
 * first reads are out, and a 711-node topology took a second longer to appear.)
 */
export async function refetchAfterChange(queryClient: QueryClient, filters: InvalidateQueryFilters): Promise<void> {
  const matches = (query: Query) => filters.predicate?.(query) ?? true;
  const firstFetches = queryClient.getQueryCache().findAll({ ...filters, predicate: (query) => inFirstFetch(query) && matches(query) });
  await Promise.all([
    queryClient.invalidateQueries({ ...filters, predicate: (query) => !inFirstFetch(query) && matches(query) }),
    ...firstFetches.map(async (query) => {
      await settled(queryClient, query);
      await queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
    }),
  ]);
}

/**
 * Refetches a view built on the sampler's latest sample (the topology) after `event`, unless the
 * answer on screen already covers it:
 * - a sample it already shows (its announcement can arrive after the answer built from it);
 * - on a resync, an answer that arrived after the tab began waiting for the stream, or a first read
 *   still out: it was read while the stream was opening. A sample stored between that read and the
 *   opening shows with the next one, one sampler interval later, as every sample does.
 * Reading it again drew a 711-node topology twice on every load, 0.3 s of the page's main thread.
 * `sampledAt` says which sample an answer was built from (null: none yet).
 */
export function refetchSampledView<T>(queryClient: QueryClient, queryKey: QueryKey, event: LiveEvent, sampledAt: (data: T) => number | null): Promise<void> {
  const query = queryClient.getQueryCache().find({ queryKey, exact: true });
  const data = query?.state.data as T | undefined;
  if (query && event.kind === "sample" && data !== undefined && (sampledAt(data) ?? -Infinity) >= event.takenAt) return Promise.resolve();
  if (query && event.kind === "resync" && (inFirstFetch(query) || query.state.dataUpdatedAt >= event.since)) return Promise.resolve();
  return refetchAfterChange(queryClient, { queryKey, exact: true });
}
