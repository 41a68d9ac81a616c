import { decodeRouteParam } from "~/lib/route-param";
import { GroupDetailView } from "../_components/group-detail";

interface Props {
  params: Promise<{ groupId: string }>;
}

export async function generateMetadata({ params }: Props) {
  const { groupId } = await params;
  return { title: `Group ${decodeRouteParam(groupId)}` };
}

export default async function GroupPage({ params }: Props) {
  const { groupId } = await params;
  return <GroupDetailView groupId={decodeRouteParam(groupId)} />;
}
