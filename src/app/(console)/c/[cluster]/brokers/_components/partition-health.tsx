"use client";

// Under-replicated (fewer in-sync replicas than replicas) and offline (no leader) partitions, with
// their replicas, as `kafka-topics --describe --under-replicated-partitions` lists them.
import { ClusterLink } from "~/components/clusters/cluster-link";
import { formatCount } from "~/lib/format";
import type { RouterOutputs } from "~/trpc/types";
import { topicHref } from "./links";

type Health = RouterOutputs["brokers"]["list"]["health"];

function ProblemTable({ title, problem, testId, empty }: { title: string; problem: Health["offline"]; testId: string; empty: string }) {
  return (
    <section className="card section flush" data-testid={testId} data-count={problem.count}>
      <h2 className="card-title">
        {title} <span className={problem.count ? "badge bad" : "badge ok"}>{formatCount(problem.count)}</span>
      </h2>
      {problem.count === 0 ? (
        <p className="muted padded-text">{empty}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Topic</th>
              <th className="right">Partition</th>
              <th className="right">Leader</th>
              <th>Replicas</th>
              <th>In sync</th>
            </tr>
          </thead>
          <tbody>
            {problem.partitions.map((p) => (
              <tr key={`${p.topic}\u0000${p.partition}`} data-testid={`${testId}-row`}>
                <td className="mono cell-clip" title={p.topic}>
                  <ClusterLink href={topicHref(p.topic)}>{p.topic}</ClusterLink>
                </td>
                <td className="right">{p.partition}</td>
                <td className="right">{p.leader < 0 ? <span className="badge bad">none</span> : p.leader}</td>
                <td className="mono">{p.replicas.join(", ")}</td>
                <td className="mono">{p.isr.join(", ") || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problem.count > problem.partitions.length && (
        <p className="muted padded-text">
          The first {formatCount(problem.partitions.length)} of {formatCount(problem.count)}.
        </p>
      )}
    </section>
  );
}

export function PartitionHealth({ health, scope }: { health: Health; scope: string }) {
  return (
    <div className="grid grid-2">
      <ProblemTable title="Under-replicated partitions" problem={health.underReplicated} testId="under-replicated" empty={`Every partition ${scope} has all its replicas in sync.`} />
      <ProblemTable title="Offline partitions" problem={health.offline} testId="offline" empty={`Every partition ${scope} has a leader.`} />
    </div>
  );
}
