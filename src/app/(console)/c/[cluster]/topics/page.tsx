import { TopicsView } from "./_components/topics-view";

export const metadata = { title: "Topics" };

export default function TopicsPage() {
  return <TopicsView />;
}
