import { OverviewView } from "./_components/overview";

export const metadata = { title: "Overview" };

export default function OverviewPage() {
  return <OverviewView />;
}
