import { GroupsView } from "./_components/groups-view";

export const metadata = { title: "Consumer groups" };

export default function GroupsPage() {
  return <GroupsView />;
}
