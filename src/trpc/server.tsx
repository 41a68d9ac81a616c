// tRPC in server components: prefetch a page's first query while rendering it, so the HTML
// already carries the data and the browser does not wait for hydration and a second round trip.
import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache } from "react";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { makeQueryClient } from "./query-client";

/** One query client per server request. */
export const getQueryClient = cache(makeQueryClient);

/** The procedures on `cluster` (a page under /c/<cluster>/), as the page's own browser calls would reach them. */
export const trpcOn = cache((cluster: string) =>
  createTRPCOptionsProxy({
    router: appRouter,
    queryClient: getQueryClient,
    ctx: async () => createTRPCContext({ headers: new Headers(await headers()), cluster }),
  }),
);

/** Hands what the server prefetched to the client components below it. */
export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
