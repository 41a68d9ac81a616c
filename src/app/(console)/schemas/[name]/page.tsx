import { decodeRouteParam } from "~/lib/route-param";
import { EventTypeDetailView } from "../_components/event-type-detail";

interface Props {
  params: Promise<{ name: string }>;
}

export async function generateMetadata({ params }: Props) {
  const { name } = await params;
  return { title: `${decodeRouteParam(name)} · Schemas` };
}

export default async function EventTypePage({ params }: Props) {
  const { name } = await params;
  return <EventTypeDetailView name={decodeRouteParam(name)} />;
}
