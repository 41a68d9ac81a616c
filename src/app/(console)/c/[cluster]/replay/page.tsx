import { ReplayView } from "./_components/replay-view";

export const metadata = { title: "Replay" };

export default function Page() {
  return <ReplayView />;
}
