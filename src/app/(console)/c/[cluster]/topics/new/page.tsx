import { CreateTopicView } from "../_components/create-topic";

export const metadata = { title: "Create topic" };

// This static segment wins over [topic], so a topic named "new" has no page of its own here.
export default function Page() {
  return <CreateTopicView />;
}
