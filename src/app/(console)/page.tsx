import { ClustersHome } from "./_home/clusters-home";

export const metadata = { title: "Clusters" };

export default function HomePage() {
  return <ClustersHome />;
}
