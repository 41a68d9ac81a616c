import { DlqView } from "./_components/dlq-view";

export const metadata = { title: "DLQ" };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { topic } = await searchParams;
  return <DlqView initialTopic={typeof topic === "string" ? topic : null} />;
}
