import { RegistryView } from "./_components/registry-view";

export const metadata = { title: "Schema registry" };
// Read from the cluster's external registry on each visit.
export const dynamic = "force-dynamic";

export default function RegistryPage() {
  return <RegistryView />;
}
