import { FIRST_TOPICS_QUERY, firstWindow } from "~/components/lag/list-inputs";
import { decodeRouteParam } from "~/lib/route-param";
import { getQueryClient, HydrateClient, trpcOn } from "~/trpc/server";
import { TopicsView } from "./_components/topics-view";

export const metadata = { title: "Topics" };
// The list is the latest sample, so it is rendered per request rather than at build time.
export const dynamic = "force-dynamic";

export default async function TopicsPage({ params }: { params: Promise<{ cluster: string }> }) {
  const trpc = trpcOn(decodeRouteParam((await params).cluster));
  // As on the groups page: the first window of rows comes with the HTML (a failure is left to the
  // client, which retries and shows it), and the sampler status comes along for the banner.
  const queryClient = getQueryClient();
  await Promise.all([queryClient.prefetchQuery(trpc.lag.topicsPage.queryOptions(firstWindow(FIRST_TOPICS_QUERY))), queryClient.prefetchQuery(trpc.lag.sampler.queryOptions())]);
  return (
    <HydrateClient>
      <TopicsView />
    </HydrateClient>
  );
}
