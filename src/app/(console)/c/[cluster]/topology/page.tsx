import { decodeRouteParam } from "~/lib/route-param";
import { getQueryClient, HydrateClient, trpcOn } from "~/trpc/server";
import { TopologyView } from "./_components/topology-view";

export const metadata = { title: "Topology" };
// The graph is the latest sample, so it is rendered per request rather than at build time.
export const dynamic = "force-dynamic";

export default async function TopologyPage({ params }: { params: Promise<{ cluster: string }> }) {
  const trpc = trpcOn(decodeRouteParam((await params).cluster));
  // As on the topics and groups pages: the graph comes with the HTML, so the browser draws it as soon
  // as its scripts run instead of asking for it after hydration (a 711-node graph took 0.4–1.2 s to
  // answer, after 1–2 s of loading). A failure is left to the client, which retries and shows it.
  const queryClient = getQueryClient();
  await Promise.all([queryClient.prefetchQuery(trpc.topology.graph.queryOptions()), queryClient.prefetchQuery(trpc.lag.sampler.queryOptions())]);
  return (
    <HydrateClient>
      <TopologyView />
    </HydrateClient>
  );
}
