import { AlertsView } from "./_components/alerts-view";

export const metadata = { title: "Alerts" };

export default function AlertsPage() {
  return <AlertsView />;
}
