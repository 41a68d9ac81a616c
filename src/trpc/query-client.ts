import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

// Named cache times: queries that hit the broker are not refetched on every focus or mount.
export const CACHE_TIMES = {
  /** Catalog rows change only through Signalbox itself, which invalidates them narrowly. */
  catalog: 60_000,
  /** Broker reads are fresh for a few seconds; live views get pushed updates instead. */
  broker: 5_000,
} as const;

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: CACHE_TIMES.broker, refetchOnWindowFocus: false, retry: 1 },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
