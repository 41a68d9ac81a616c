import { Suspense } from "react";
import { TraceView } from "../_components/trace-view";

export const metadata = { title: "Trace" };

export default function Page() {
  return (
    <Suspense>
      <TraceView />
    </Suspense>
  );
}
