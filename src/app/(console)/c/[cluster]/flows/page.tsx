import { FlowsView } from "./_components/flows-view";

export const metadata = { title: "Flows" };
export const dynamic = "force-dynamic";

export default function FlowsPage() {
  return <FlowsView />;
}
