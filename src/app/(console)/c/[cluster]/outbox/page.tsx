import { OutboxView } from "./_components/outbox-view";

export const metadata = { title: "Outbox" };
export const dynamic = "force-dynamic";

export default function OutboxPage() {
  return <OutboxView />;
}
