import { ComingSoon } from "~/components/layout/coming-soon";

export const metadata = { title: "Replay" };

export default function Page() {
  return <ComingSoon href="/replay" />;
}
