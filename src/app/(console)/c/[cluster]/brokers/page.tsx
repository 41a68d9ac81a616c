import { BrokersView } from "./_components/brokers-view";

export const metadata = { title: "Brokers" };
// Read from the brokers on each visit.
export const dynamic = "force-dynamic";

export default function BrokersPage() {
  return <BrokersView />;
}
