import { JobDetail } from "~/app/(console)/c/[cluster]/replay/_components/job-detail";

interface Props {
  params: Promise<{ jobId: string }>;
}

export async function generateMetadata({ params }: Props) {
  return { title: `Redrive job #${(await params).jobId}` };
}

export default async function Page({ params }: Props) {
  const { jobId } = await params;
  return <JobDetail id={Number(jobId) || 0} back={{ href: "/dlq", label: "DLQ" }} noun="Redrive" />;
}
