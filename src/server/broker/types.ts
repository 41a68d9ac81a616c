// Application-level broker types. Nothing outside src/server/broker/ sees kafkajs types.

import "server-only";
import type { AclOperation, AclPatternType, AclPermission, AclResourceType } from "~/lib/acls";
import type { SaslMechanism } from "~/lib/clusters";

export type { SaslMechanism, AclOperation, AclPatternType, AclPermission, AclResourceType };

/** What TLS trusts and presents; without it, TLS trusts Node.js's public CAs and presents nothing. */
export interface ClusterTls {
  /** PEM bundle of the CAs that sign the brokers' certificates. */
  ca?: string;
  /** PEM client certificate and key, for mutual TLS. */
  cert?: string;
  key?: string;
  passphrase?: string;
  /** false: the chain is verified, the host name in the certificate is not. */
  verifyHostname: boolean;
}

export interface ClusterConnectionConfig {
  /** Stable name; one kafkajs client is kept per name. */
  name: string;
  brokers: string[];
  clientId: string;
  /** TLS on (security protocol SSL or SASL_SSL); `tls` says with what. */
  ssl: boolean;
  tls?: ClusterTls;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  connectionTimeoutMs: number;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
}

export interface ClusterDescription {
  clusterId: string;
  controllerId: number | null;
  brokers: BrokerInfo[];
  /** e.g. "3.9": the broker's inter.broker.protocol.version (3.x) or finalized metadata.version (4.x); null when unknown. */
  kafkaVersion: string | null;
}

export interface TopicCounts {
  topics: number;
  internalTopics: number;
  partitions: number;
  /** Partitions with fewer in-sync replicas than replicas. */
  underReplicated: number;
  /** Partitions without a leader: nobody can read or write them. */
  offline: number;
}

/** Where one partition's replicas are, as the cluster's metadata says. */
export interface PartitionReplicas {
  topic: string;
  partition: number;
  /** The leader's broker id; -1 while the partition has none (offline). */
  leader: number;
  /** Broker ids in assignment order: the first is the preferred leader. */
  replicas: number[];
  isr: number[];
}

export interface ReplicaState {
  brokers: { nodeId: number; host: string; port: number }[];
  partitions: PartitionReplicas[];
}

export type HeaderValue = string | Buffer;

export interface OutgoingRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  /** Arrays keep duplicate header keys, which Kafka allows. */
  headers?: Record<string, HeaderValue | HeaderValue[]>;
  partition?: number;
  timestamp?: string;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[] | undefined>;
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries?: { name: string; value: string }[];
}

/** One Kafka header. Kafka allows the same key more than once, and a null value. */
export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A record read by partition and offset (browser, trace, replay), headers in Kafka's order. */
export interface FetchedRecord {
  topic: string;
  partition: number;
  offset: number;
  /** Epoch ms. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Where a configuration value comes from, as `kafka-configs --describe --all` names it. */
export type ConfigSourceName = "topic" | "dynamic-broker" | "dynamic-default-broker" | "static-broker" | "default" | "unknown";

/** One configuration entry with its effective value. A sensitive entry never carries its value. */
export interface ConfigEntry {
  name: string;
  value: string | null;
  source: ConfigSourceName;
  readOnly: boolean;
  sensitive: boolean;
  /** What it would fall back to, most specific first (the entry's own value is the first). */
  synonyms: { name: string; value: string | null; source: ConfigSourceName }[];
}

export interface NewTopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

/** Kafka's refusal of a request, by its error type (e.g. INVALID_REPLICATION_FACTOR). */
export interface KafkaRefusal {
  type: string;
  message: string;
}

export interface RackedBroker {
  nodeId: number;
  host: string;
  port: number;
  /** broker.rack, or null when the broker has none. */
  rack: string | null;
}

/** One broker's log dirs as DescribeLogDirs reports them; sizes in bytes. */
export interface BrokerLogDirs {
  nodeId: number;
  dirs: {
    path: string;
    /** Kafka's error for this dir (e.g. KAFKA_STORAGE_ERROR for a failed disk), or null. */
    error: string | null;
    /** The partitions' sizes summed (future replicas of a move between dirs not counted). */
    sizeBytes: number;
    /** The volume's size and free space (Kafka 3.3+); null when the broker does not say. */
    totalBytes: number | null;
    usableBytes: number | null;
    /** Largest first. */
    topics: { topic: string; partitions: number; sizeBytes: number }[];
  }[];
  /** Why the broker's dirs could not be read, or null. */
  unavailable: string | null;
}


/** One ACL binding: a principal allowed or denied an operation from a host on a resource pattern. */
export interface AclBinding {
  principal: string;
  host: string;
  operation: AclOperation | `UNKNOWN(${number})`;
  permission: AclPermission | `UNKNOWN(${number})`;
  resourceType: AclResourceType | `UNKNOWN(${number})`;
  resourceName: string;
  patternType: AclPatternType | `UNKNOWN(${number})`;
}
