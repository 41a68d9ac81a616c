import { ComingSoon } from "~/components/layout/coming-soon";

export const metadata = { title: "DLQ" };

export default function Page() {
  return <ComingSoon href="/dlq" />;
}
