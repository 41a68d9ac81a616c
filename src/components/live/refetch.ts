// How a live announcement makes the queries that show the changed thing fetch again.
import type { InvalidateQueryFilters, QueryClient } from "@tanstack/react-query";

/**
 * Marks the matching queries stale and refetches the ones on screen, so they show the state after
 * the announced change.
 *
 * `invalidateQueries` alone loses the announcement for a query whose first fetch is still in
 * flight: TanStack cancels an in-flight fetch for the refetch only when the query already has data;
 * otherwise the refetch joins the running fetch, which may have read the state before the change,
 * and its result clears the "invalidated" mark. A redrive that finished within the first read of
 * its job stayed "running" on the page (seen in CI). Those first fetches are cancelled first, so
 * the refetch starts after the change.
 */
export async function refetchAfterChange(queryClient: QueryClient, filters: InvalidateQueryFilters): Promise<void> {
  await queryClient.cancelQueries({
    ...filters,
    predicate: (query) => query.state.data === undefined && query.state.fetchStatus === "fetching" && (filters.predicate?.(query) ?? true),
  });
  await queryClient.invalidateQueries(filters);
}
