import { decodeRouteParam } from "~/lib/route-param";
import { TopicDetailView } from "../_components/topic-detail";

interface Props {
  params: Promise<{ topic: string }>;
}

export async function generateMetadata({ params }: Props) {
  const { topic } = await params;
  return { title: `Topic ${decodeRouteParam(topic)}` };
}

export default async function TopicPage({ params }: Props) {
  const { topic } = await params;
  return <TopicDetailView topic={decodeRouteParam(topic)} />;
}
