// Every page of one cluster: the cluster named in the URL, or a not-found page naming it. Its pages'
// calls go to that cluster (TRPCReactProvider names it on each call) with a query cache of its own.
import { notFound } from "next/navigation";
import { ClusterProvider } from "~/components/clusters/cluster-context";
import { getEnv } from "~/env";
import { decodeRouteParam } from "~/lib/route-param";
import { listClusterChoices } from "~/server/services/clusters/home";
import { TRPCReactProvider } from "~/trpc/react";

export default async function ClusterLayout({ children, params }: { children: React.ReactNode; params: Promise<{ cluster: string }> }) {
  const name = decodeRouteParam((await params).cluster);
  const cluster = (await listClusterChoices(getEnv())).find((c) => c.name === name);
  if (!cluster) notFound();
  return (
    <ClusterProvider cluster={cluster}>
      <TRPCReactProvider key={cluster.name} cluster={cluster.name}>{children}</TRPCReactProvider>
    </ClusterProvider>
  );
}
