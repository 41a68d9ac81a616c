import { ComingSoon } from "~/components/layout/coming-soon";

export const metadata = { title: "Topology" };

export default function Page() {
  return <ComingSoon href="/topology" />;
}
