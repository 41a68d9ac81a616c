import { DlqView } from "./_components/dlq-view";

export const metadata = { title: "DLQ" };

export default function Page() {
  return <DlqView />;
}
