import { TopologyView } from "./_components/topology-view";

export const metadata = { title: "Topology" };

export default function TopologyPage() {
  return <TopologyView />;
}
