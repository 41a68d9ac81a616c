"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";
import { CLUSTER_HEADER } from "~/lib/cluster-paths";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

// One query cache per cluster (and one for the global pages): the same query of two clusters has
// the same key, so a shared cache would show one cluster's topics on the other's page after a switch.
const browserQueryClients = new Map<string, QueryClient>();

function getQueryClient(cluster: string | null) {
  if (typeof window === "undefined") return makeQueryClient();
  const key = cluster ?? "";
  let client = browserQueryClients.get(key);
  if (!client) {
    client = makeQueryClient();
    browserQueryClients.set(key, client);
  }
  return client;
}

/**
 * `cluster`: the cluster of the pages below (`/c/<cluster>/…`); every call names it to the server,
 * queries and mutations in a header, subscriptions in their connection parameters (server-sent
 * events carry no headers). Without one, calls go to the default cluster or to no cluster at all.
 */
export function TRPCReactProvider({ children, cluster = null }: { children: React.ReactNode; cluster?: string | null }) {
  const queryClient = getQueryClient(cluster);
  const [trpcClient] = useState(() => {
    const headers = cluster ? { [CLUSTER_HEADER]: encodeURIComponent(cluster) } : undefined;
    return createTRPCClient<AppRouter>({
      links: [
        splitLink({
          // Live data arrives over Server-Sent Events; everything else is HTTP, batched unless a call asks not to be.
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson, connectionParams: cluster ? { cluster } : undefined }),
          false: splitLink({
            // A batch answers when its slowest call does: a page's main query that must not wait for
            // the others passes `trpc: { context: { skipBatch: true } }` (the topology's graph waited
            // 0.93 s in a batch with the flows, where it alone answers in 0.18 s).
            condition: (op) => op.context.skipBatch === true,
            true: httpLink({ url: "/api/trpc", transformer: superjson, headers }),
            // Below the server's TRPC_MAX_BATCH (20 by default), and within URL limits for GET batches.
            false: httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: 10, maxURLLength: 8000, headers }),
          }),
        }),
      ],
    });
  });
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
