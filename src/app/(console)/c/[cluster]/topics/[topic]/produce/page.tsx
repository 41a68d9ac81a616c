import { decodeRouteParam } from "~/lib/route-param";
import { ProduceView } from "../../_components/produce-form";

interface Props {
  params: Promise<{ topic: string }>;
}

export async function generateMetadata({ params }: Props) {
  return { title: `Produce · ${decodeRouteParam((await params).topic)}` };
}

export default async function Page({ params }: Props) {
  return <ProduceView topic={decodeRouteParam((await params).topic)} />;
}
