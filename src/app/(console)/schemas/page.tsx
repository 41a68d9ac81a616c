import { SchemasView } from "./_components/schemas-view";

export const metadata = { title: "Schemas" };

/** `?topic=<name>` (from the topology's drift list) narrows the list to that topic and prefills a new type's topics. */
export default async function SchemasPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { topic } = await searchParams;
  return <SchemasView topic={typeof topic === "string" ? topic.slice(0, 249) : null} />;
}
