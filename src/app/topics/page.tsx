import { ComingSoon } from "~/components/layout/coming-soon";

export const metadata = { title: "Topics" };

export default function Page() {
  return <ComingSoon href="/topics" />;
}
