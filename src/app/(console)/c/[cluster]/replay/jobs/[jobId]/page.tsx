import { JobDetail } from "../../_components/job-detail";

interface Props {
  params: Promise<{ jobId: string }>;
}

export async function generateMetadata({ params }: Props) {
  return { title: `Replay job #${(await params).jobId}` };
}

export default async function Page({ params }: Props) {
  const { jobId } = await params;
  return <JobDetail id={Number(jobId) || 0} />;
}
