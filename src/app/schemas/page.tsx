import { ComingSoon } from "~/components/layout/coming-soon";

export const metadata = { title: "Schemas" };

export default function Page() {
  return <ComingSoon href="/schemas" />;
}
