import { ConnectView } from "./_components/connect-view";

export const metadata = { title: "Connect" };
// Read from Kafka Connect on each visit.
export const dynamic = "force-dynamic";

export default function ConnectPage() {
  return <ConnectView />;
}
