import { decodeRouteParam } from "~/lib/route-param";
import { ConnectorDetailView } from "../../_components/connector-detail";

interface Props {
  params: Promise<{ connect: string; connector: string }>;
}

export async function generateMetadata({ params }: Props) {
  return { title: `Connector ${decodeRouteParam((await params).connector)}` };
}

export const dynamic = "force-dynamic";

export default async function ConnectorPage({ params }: Props) {
  const { connect, connector } = await params;
  return <ConnectorDetailView connect={decodeRouteParam(connect)} connector={decodeRouteParam(connector)} />;
}
