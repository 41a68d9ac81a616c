import { ComingSoon } from "~/components/layout/coming-soon";

export const metadata = { title: "Consumer groups" };

export default function Page() {
  return <ComingSoon href="/groups" />;
}
