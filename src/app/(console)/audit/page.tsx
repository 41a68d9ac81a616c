import { AuditTable } from "./_components/audit-table";

export const metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <div className="page">
      <header className="page-header">
        <h1>Audit</h1>
        <p className="muted">Every state-changing action: who, what and when. Newest first.</p>
      </header>
      <AuditTable />
    </div>
  );
}
