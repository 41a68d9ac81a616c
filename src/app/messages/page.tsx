import { ComingSoon } from "~/components/layout/coming-soon";

export const metadata = { title: "Messages" };

export default function Page() {
  return <ComingSoon href="/messages" />;
}
