import { SchemasView } from "./_components/schemas-view";

export const metadata = { title: "Schemas" };

export default function SchemasPage() {
  return <SchemasView />;
}
