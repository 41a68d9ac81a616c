import { SettingsView } from "./_components/settings-view";

export const metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <div className="page">
      <header className="page-header">
        <h1>Settings</h1>
        <p className="muted">Clusters, users and roles.</p>
      </header>
      <SettingsView />
    </div>
  );
}
