import { decodeRouteParam } from "~/lib/route-param";
import { ResetOffsetsView } from "../../_components/reset-offsets";

interface Props {
  params: Promise<{ groupId: string }>;
}

export async function generateMetadata({ params }: Props) {
  return { title: `Reset offsets · ${decodeRouteParam((await params).groupId)}` };
}

export default async function Page({ params }: Props) {
  return <ResetOffsetsView groupId={decodeRouteParam((await params).groupId)} />;
}
