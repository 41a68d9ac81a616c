// kafkajs's internal Cluster with a chosen isolation level, kept one per configured cluster. Its
// public consumer and admin APIs fix the level and hide per-partition fetches; the offset sampler
// (read_uncommitted) and the record reader (read_committed) need both.
import "server-only";
import { AppError } from "../errors";
import { getKafka } from "./connection";
import { translateKafkaError } from "./errors";
import type { ClusterConnectionConfig } from "./types";

export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

function createInternalCluster<T>(config: ClusterConnectionConfig, isolationLevel: number): T {
  const kafka = getKafka(config) as unknown as Record<symbol, unknown>;
  const factorySymbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === "private:Kafka:createCluster");
  const factory = factorySymbol ? (kafka[factorySymbol] as (options: object) => T) : undefined;
  if (!factory) throw new AppError("BROKER_ERROR", "This kafkajs version does not expose its cluster factory; offsets and records cannot be read with a chosen isolation level.");
  return factory({ allowAutoTopicCreation: false, isolationLevel, metadataMaxAge: 60_000 });
}

export interface InternalClusterPool<C> {
  /** Runs `fn` with the cluster's shared connection; a failure discards it, so the next call reconnects. */
  use<T>(config: ClusterConnectionConfig, action: string, fn: (cluster: C) => Promise<T>): Promise<T>;
  disconnectAll(): Promise<void>;
}

export function internalClusterPool<C extends { connect(): Promise<void>; disconnect(): Promise<void> }>(isolationLevel: number): InternalClusterPool<C> {
  const clusters = new Map<string, Promise<C>>();
  return {
    async use(config, action, fn) {
      let entry = clusters.get(config.name);
      if (!entry) {
        entry = (async () => {
          const cluster = createInternalCluster<C>(config, isolationLevel);
          await cluster.connect();
          return cluster;
        })();
        clusters.set(config.name, entry);
      }
      try {
        return await fn(await entry);
      } catch (error) {
        // Start from scratch next time: after a broker restart cached metadata and sockets go stale.
        clusters.delete(config.name);
        void entry.then((c) => c.disconnect()).catch(() => undefined);
        throw translateKafkaError(error, action);
      }
    },
    async disconnectAll() {
      const all = [...clusters.values()];
      clusters.clear();
      await Promise.all(all.map((p) => p.then((c) => c.disconnect()).catch(() => undefined)));
    },
  };
}
