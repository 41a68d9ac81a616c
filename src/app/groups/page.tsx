import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";
import { GroupsView } from "./_components/groups-view";

export const metadata = { title: "Consumer groups" };
// The list is the latest sample, so it is rendered per request rather than at build time.
export const dynamic = "force-dynamic";

export default async function GroupsPage() {
  // Awaited, not streamed: the first rows arrive with the HTML. A failure is not thrown here;
  // the page renders and the client retries and shows the error as before.
  await getQueryClient().prefetchQuery(trpc.lag.groups.queryOptions());
  return (
    <HydrateClient>
      <GroupsView />
    </HydrateClient>
  );
}
