"use client";

// The declared flows (sagas) whose events travel on a topic, in the topology's node panel: each with
// its instances stuck or failed now, linked to its Flows page.
import { useQuery } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatCount } from "~/lib/format";
import { flowEventTypes } from "~/server/services/flows/definition";
import { useTRPC } from "~/trpc/react";

export function TopicFlows({ eventTypes }: { eventTypes: string[] }) {
  const trpc = useTRPC();
  const flows = useQuery(trpc.flows.list.queryOptions({ range: "1h" }, { refetchInterval: 10_000 }));
  const through = (flows.data ?? []).filter((f) => f.definition && eventTypes.some((t) => flowEventTypes(f.definition!).has(t)));
  if (through.length === 0) return null;
  return (
    <section className="tp-panel-section" data-testid="node-panel-flows">
      <h3>Flows</h3>
      <ul className="tp-plain">
        {through.map((f) => (
          <li key={f.name} data-testid="node-panel-flow" data-flow={f.name}>
            <ClusterLink href={`/flows?flow=${encodeURIComponent(f.name)}`}>{f.name}</ClusterLink>{" "}
            {f.stuck + f.failed > 0 ? <span className="warn-text small">· {formatCount(f.stuck + f.failed)} stuck or failed</span> : <span className="muted small">· {formatCount(f.running)} running</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
