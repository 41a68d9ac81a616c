import { notFound } from "next/navigation";
import { BrokerDetailView } from "../_components/broker-detail";

interface Props {
  params: Promise<{ nodeId: string }>;
}

/** A broker id from the URL, or null when it is not one (a broker id is a whole number). */
function nodeIdOf(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

export async function generateMetadata({ params }: Props) {
  const { nodeId } = await params;
  return { title: `Broker ${nodeIdOf(nodeId) ?? "?"}` };
}

export default async function BrokerPage({ params }: Props) {
  const nodeId = nodeIdOf((await params).nodeId);
  if (nodeId === null) notFound();
  return <BrokerDetailView nodeId={nodeId} />;
}
