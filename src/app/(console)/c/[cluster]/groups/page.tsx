import { FIRST_GROUPS_QUERY, firstWindow } from "~/components/lag/list-inputs";
import { decodeRouteParam } from "~/lib/route-param";
import { getQueryClient, HydrateClient, trpcOn } from "~/trpc/server";
import { GroupsView } from "./_components/groups-view";

export const metadata = { title: "Consumer groups" };
// The list is the latest sample, so it is rendered per request rather than at build time.
export const dynamic = "force-dynamic";

export default async function GroupsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const trpc = trpcOn(decodeRouteParam((await params).cluster));
  // Awaited, not streamed: the first rows arrive with the HTML, and only the first window of them
  // (the server keeps the list, however long: lag.groupsPage). A failure is not thrown here;
  // the page renders and the client retries and shows the error as before. The sampler status and
  // the status rules come along, so the browser sends no query while it hydrates.
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.lag.groupsPage.queryOptions(firstWindow(FIRST_GROUPS_QUERY))),
    queryClient.prefetchQuery(trpc.lag.sampler.queryOptions()),
    queryClient.prefetchQuery(trpc.lag.statusRules.queryOptions(undefined, { staleTime: Infinity })),
  ]);
  return (
    <HydrateClient>
      <GroupsView />
    </HydrateClient>
  );
}
