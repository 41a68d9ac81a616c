// Runs the flow monitor (services/flows/monitor.ts) for one cluster every FLOW_MONITOR_INTERVAL_MS,
// under the cluster's flow-monitor lease, and judges the FLOW_* alert rules after each round. A round
// that stopped at its record budget asks for the next at once, so a monitor that is behind catches up.
import type { Env } from "~/env";
import type { ClusterConnectionConfig } from "~/server/broker";
import { AlertEngine } from "~/server/services/alerts/engine";
import { FlowMonitor } from "~/server/services/flows/monitor";
import { clusterLeaseKey, type LeaseBudget } from "./cluster-leases";
import { runLeasedLoop } from "./leased-loop";

export async function runFlowMonitorLoop(env: Env, cluster: ClusterConnectionConfig, budget: LeaseBudget, signal: AbortSignal): Promise<void> {
  const monitor = new FlowMonitor(cluster);
  const alerts = new AlertEngine();
  await runLeasedLoop(
    {
      name: "flow-monitor",
      leaseKey: clusterLeaseKey("flow-monitor", cluster.name),
      budget,
      logFields: { cluster: cluster.name },
      intervalMs: env.FLOW_MONITOR_INTERVAL_MS,
      round: async () => {
        const result = await monitor.round(signal);
        await alerts.onFlows({ cluster: cluster.name, takenAt: result.takenAt, flows: result.health });
        return result.behind ? { nextInMs: 0 } : undefined;
      },
      onFailure: () => monitor.reset(),
    },
    signal,
  );
}
