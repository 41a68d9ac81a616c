import { AclsView } from "./_components/acls-view";

export const metadata = { title: "ACLs" };
// Read from the brokers on each visit.
export const dynamic = "force-dynamic";

export default function AclsPage() {
  return <AclsView />;
}
