import { describe, expect, it } from "vitest";
import type { ReplicaState } from "~/server/broker";
import { GROUP_STATUSES, type GroupPartitionLag, type GroupSnapshot, type LagSnapshot } from "~/server/services/lag/types";
import { escapeLabelValue, METRICS_CONTENT_TYPE, prerenderLagFamilies, renderClustersMetrics, renderMetrics, type RenderMetricsOptions } from "./prometheus";

const TAKEN_AT = 1_700_000_000_000;
const options = (over: Partial<RenderMetricsOptions> = {}): RenderMetricsOptions => ({ now: TAKEN_AT + 1_000, staleAfterMs: 60_000, ...over });

function partition(topic: string, p: number, over: Partial<GroupPartitionLag> = {}): GroupPartitionLag {
  return {
    topic,
    partition: p,
    committed: null,
    end: 0,
    lag: null,
    lagSeconds: null,
    lagSecondsExtrapolated: false,
    status: "PENDING",
    committedBelowLogStart: false,
    consumerId: null,
    host: null,
    clientId: null,
    ...over,
  };
}

function group(groupId: string, over: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return { groupId, state: "Stable", members: [], status: "OK", totalLag: 0, maxLag: 0, maxLagSeconds: null, consumeRate: null, consumeRateByTopic: {}, partitions: [], ...over };
}

const member = (memberId: string) => ({ memberId, clientId: "client", host: "/10.0.0.1", assignments: [] });

const fixture: LagSnapshot = {
  cluster: "local",
  takenAt: TAKEN_AT,
  cycleMs: 1234,
  topics: [
    {
      topic: "orders",
      partitions: [
        { topic: "orders", partition: 0, low: 10, high: 100 },
        { topic: "orders", partition: 1, low: 0, high: 50 },
      ],
      produceRate: 2.5,
    },
    { topic: "payments", partitions: [{ topic: "payments", partition: 0, low: 0, high: 7 }], produceRate: null },
  ],
  groups: [
    group("billing", {
      members: [member("m1"), member("m2")],
      status: "ERR",
      maxLagSeconds: 30,
      partitions: [
        partition("orders", 0, { committed: 90, end: 100, lag: 10, lagSeconds: 30, lagSecondsExtrapolated: true, status: "OK" }),
        // Assigned, never committed: lag -1 like kafka_exporter, no current_offset, not in the sums.
        partition("orders", 1, { end: 50 }),
        // Committed above the high watermark that was read: raw negative lag, like kafka_exporter.
        partition("payments", 0, { committed: 9, end: 7, lag: -2, status: "STALL" }),
      ],
    }),
    // No commit on any partition of the topic: no kafka_consumergroup_* offset or lag series at all.
    group("fresh-group", { members: [member("m3")], status: "PENDING", partitions: [partition("payments", 0, { end: 7 })] }),
  ],
};

const lines = (...l: string[]) => l.join("\n") + "\n";

// Three brokers; orders/1 has lost a replica and its leader moved off the preferred one; payments/0
// has no leader at all.
const replicas: ReplicaState = {
  brokers: [
    { nodeId: 1, host: "b1.example", port: 9092 },
    { nodeId: 2, host: "b2.example", port: 9092 },
  ],
  partitions: [
    { topic: "orders", partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2] },
    { topic: "orders", partition: 1, leader: 2, replicas: [1, 2], isr: [2] },
    { topic: "payments", partition: 0, leader: -1, replicas: [3], isr: [] },
  ],
};

describe("renderMetrics", () => {
  it("renders kafka_exporter's families and Signalbox's own, line for line", async () => {
    const { contentType, body } = await renderMetrics(fixture, options({ replicas }));
    expect(contentType).toBe(METRICS_CONTENT_TYPE);
    expect(body).toBe(
      lines(
        "# HELP kafka_brokers Number of Brokers in the Kafka Cluster.",
        "# TYPE kafka_brokers gauge",
        "kafka_brokers 2",
        "# HELP kafka_broker_info Information about the Kafka Broker.",
        "# TYPE kafka_broker_info gauge",
        'kafka_broker_info{address="b1.example:9092",id="1"} 1',
        'kafka_broker_info{address="b2.example:9092",id="2"} 1',
        "# HELP kafka_topic_partitions Number of partitions for this Topic",
        "# TYPE kafka_topic_partitions gauge",
        'kafka_topic_partitions{topic="orders"} 2',
        'kafka_topic_partitions{topic="payments"} 1',
        "# HELP kafka_topic_partition_current_offset Current Offset of a Broker at Topic/Partition",
        "# TYPE kafka_topic_partition_current_offset gauge",
        'kafka_topic_partition_current_offset{topic="orders",partition="0"} 100',
        'kafka_topic_partition_current_offset{topic="orders",partition="1"} 50',
        'kafka_topic_partition_current_offset{topic="payments",partition="0"} 7',
        "# HELP kafka_topic_partition_oldest_offset Oldest Offset of a Broker at Topic/Partition",
        "# TYPE kafka_topic_partition_oldest_offset gauge",
        'kafka_topic_partition_oldest_offset{topic="orders",partition="0"} 10',
        'kafka_topic_partition_oldest_offset{topic="orders",partition="1"} 0',
        'kafka_topic_partition_oldest_offset{topic="payments",partition="0"} 0',
        "# HELP kafka_topic_partition_in_sync_replica Number of In-Sync Replicas for this Topic/Partition",
        "# TYPE kafka_topic_partition_in_sync_replica gauge",
        'kafka_topic_partition_in_sync_replica{topic="orders",partition="0"} 2',
        'kafka_topic_partition_in_sync_replica{topic="orders",partition="1"} 1',
        'kafka_topic_partition_in_sync_replica{topic="payments",partition="0"} 0',
        "# HELP kafka_topic_partition_leader Leader Broker ID of this Topic/Partition",
        "# TYPE kafka_topic_partition_leader gauge",
        'kafka_topic_partition_leader{topic="orders",partition="0"} 1',
        'kafka_topic_partition_leader{topic="orders",partition="1"} 2',
        'kafka_topic_partition_leader{topic="payments",partition="0"} -1',
        "# HELP kafka_topic_partition_leader_is_preferred 1 if Topic/Partition is using the Preferred Broker",
        "# TYPE kafka_topic_partition_leader_is_preferred gauge",
        'kafka_topic_partition_leader_is_preferred{topic="orders",partition="0"} 1',
        'kafka_topic_partition_leader_is_preferred{topic="orders",partition="1"} 0',
        'kafka_topic_partition_leader_is_preferred{topic="payments",partition="0"} 0',
        "# HELP kafka_topic_partition_replicas Number of Replicas for this Topic/Partition",
        "# TYPE kafka_topic_partition_replicas gauge",
        'kafka_topic_partition_replicas{topic="orders",partition="0"} 2',
        'kafka_topic_partition_replicas{topic="orders",partition="1"} 2',
        'kafka_topic_partition_replicas{topic="payments",partition="0"} 1',
        "# HELP kafka_topic_partition_under_replicated_partition 1 if Topic/Partition is under Replicated",
        "# TYPE kafka_topic_partition_under_replicated_partition gauge",
        'kafka_topic_partition_under_replicated_partition{topic="orders",partition="0"} 0',
        'kafka_topic_partition_under_replicated_partition{topic="orders",partition="1"} 1',
        'kafka_topic_partition_under_replicated_partition{topic="payments",partition="0"} 1',
        "# HELP kafka_consumergroup_current_offset Current Offset of a ConsumerGroup at Topic/Partition",
        "# TYPE kafka_consumergroup_current_offset gauge",
        'kafka_consumergroup_current_offset{consumergroup="billing",topic="orders",partition="0"} 90',
        'kafka_consumergroup_current_offset{consumergroup="billing",topic="payments",partition="0"} 9',
        "# HELP kafka_consumergroup_current_offset_sum Current Offset of a ConsumerGroup at Topic for all partitions",
        "# TYPE kafka_consumergroup_current_offset_sum gauge",
        'kafka_consumergroup_current_offset_sum{consumergroup="billing",topic="orders"} 90',
        'kafka_consumergroup_current_offset_sum{consumergroup="billing",topic="payments"} 9',
        "# HELP kafka_consumergroup_lag Current Approximate Lag of a ConsumerGroup at Topic/Partition",
        "# TYPE kafka_consumergroup_lag gauge",
        'kafka_consumergroup_lag{consumergroup="billing",topic="orders",partition="0"} 10',
        'kafka_consumergroup_lag{consumergroup="billing",topic="orders",partition="1"} -1',
        'kafka_consumergroup_lag{consumergroup="billing",topic="payments",partition="0"} -2',
        "# HELP kafka_consumergroup_lag_sum Current Approximate Lag of a ConsumerGroup at Topic for all partitions",
        "# TYPE kafka_consumergroup_lag_sum gauge",
        'kafka_consumergroup_lag_sum{consumergroup="billing",topic="orders"} 10',
        'kafka_consumergroup_lag_sum{consumergroup="billing",topic="payments"} -2',
        "# HELP kafka_consumergroup_members Amount of members in a consumer group",
        "# TYPE kafka_consumergroup_members gauge",
        'kafka_consumergroup_members{consumergroup="billing"} 2',
        'kafka_consumergroup_members{consumergroup="fresh-group"} 1',
        "# HELP signalbox_topic_produce_rate Messages per second produced to this Topic, over the last sampler interval",
        "# TYPE signalbox_topic_produce_rate gauge",
        'signalbox_topic_produce_rate{topic="orders"} 2.5',
        "# HELP signalbox_consumergroup_lag_seconds Estimated lag of a ConsumerGroup at Topic/Partition in seconds: how long ago the committed offset was the log end; extrapolated=true when estimated beyond the sampled history",
        "# TYPE signalbox_consumergroup_lag_seconds gauge",
        'signalbox_consumergroup_lag_seconds{consumergroup="billing",topic="orders",partition="0",extrapolated="true"} 30',
        "# HELP signalbox_consumergroup_max_lag_seconds Largest estimated lag in seconds over the partitions of a ConsumerGroup",
        "# TYPE signalbox_consumergroup_max_lag_seconds gauge",
        'signalbox_consumergroup_max_lag_seconds{consumergroup="billing"} 30',
        "# HELP signalbox_consumergroup_status 1 for the current status of a ConsumerGroup (PENDING, OK, WARN, ERR), 0 for the others",
        "# TYPE signalbox_consumergroup_status gauge",
        'signalbox_consumergroup_status{consumergroup="billing",status="PENDING"} 0',
        'signalbox_consumergroup_status{consumergroup="billing",status="OK"} 0',
        'signalbox_consumergroup_status{consumergroup="billing",status="WARN"} 0',
        'signalbox_consumergroup_status{consumergroup="billing",status="ERR"} 1',
        'signalbox_consumergroup_status{consumergroup="fresh-group",status="PENDING"} 1',
        'signalbox_consumergroup_status{consumergroup="fresh-group",status="OK"} 0',
        'signalbox_consumergroup_status{consumergroup="fresh-group",status="WARN"} 0',
        'signalbox_consumergroup_status{consumergroup="fresh-group",status="ERR"} 0',
        "# HELP signalbox_consumergroup_partition_status 1 for a ConsumerGroup Topic/Partition in status WARN, STALL, STOP or REWIND; absent while OK or PENDING",
        "# TYPE signalbox_consumergroup_partition_status gauge",
        'signalbox_consumergroup_partition_status{consumergroup="billing",topic="payments",partition="0",status="STALL"} 1',
        "# HELP signalbox_sampler_cycle_duration_seconds Duration of the last lag sampler cycle in seconds",
        "# TYPE signalbox_sampler_cycle_duration_seconds gauge",
        "signalbox_sampler_cycle_duration_seconds 1.234",
        "# HELP signalbox_sampler_last_sample_timestamp_seconds Unix time when the last lag sampler cycle started",
        "# TYPE signalbox_sampler_last_sample_timestamp_seconds gauge",
        "signalbox_sampler_last_sample_timestamp_seconds 1700000000",
        "# HELP signalbox_sampler_up 1 when a lag snapshot exists and is fresh, 0 otherwise",
        "# TYPE signalbox_sampler_up gauge",
        "signalbox_sampler_up 1",
      ),
    );
    expect(validateExposition(body)).toEqual([]);
  });

  it("leaves the broker and replica families out when the broker's metadata is unknown", async () => {
    const { body } = await renderMetrics(fixture, options());
    expect(body).not.toContain("kafka_brokers");
    expect(body).not.toContain("kafka_broker_info");
    expect(body).not.toContain("kafka_topic_partition_leader");
    expect(body).toContain("kafka_topic_partitions");
  });

  it("renders only signalbox_sampler_up 0 without a snapshot", async () => {
    const { contentType, body } = await renderMetrics(null, options());
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(body).toBe(
      lines("# HELP signalbox_sampler_up 1 when a lag snapshot exists and is fresh, 0 otherwise", "# TYPE signalbox_sampler_up gauge", "signalbox_sampler_up 0"),
    );
    expect(validateExposition(body)).toEqual([]);
  });

  it("marks a stale snapshot down and, by default, withholds its cluster series", async () => {
    const stale = options({ now: TAKEN_AT + 60_001 });
    const { body } = await renderMetrics(fixture, stale);
    expect(samples(body).map((s) => s.name)).toEqual([
      "signalbox_sampler_cycle_duration_seconds",
      "signalbox_sampler_last_sample_timestamp_seconds",
      "signalbox_sampler_up",
    ]);
    expect(body).toContain("signalbox_sampler_up 0\n");

    const included = await renderMetrics(fixture, { ...stale, includeStale: true });
    expect(included.body).toContain('kafka_consumergroup_lag{consumergroup="billing",topic="orders",partition="0"} 10\n');
    expect(included.body).toContain("signalbox_sampler_up 0\n");

    const edge = await renderMetrics(fixture, options({ now: TAKEN_AT + 60_000 }));
    expect(edge.body).toContain("signalbox_sampler_up 1\n");
  });

  it("emits group status one-hot over every group status", async () => {
    for (const current of GROUP_STATUSES) {
      const { body } = await renderMetrics({ ...fixture, groups: [group("g", { status: current })] }, options());
      const status = samples(body).filter((s) => s.name === "signalbox_consumergroup_status");
      expect(status.map((s) => s.labels.status)).toEqual([...GROUP_STATUSES]);
      expect(status.map((s) => s.value)).toEqual(GROUP_STATUSES.map((s) => (s === current ? 1 : 0)));
    }
  });

  it("reports only WARN, STALL, STOP and REWIND partitions in partition_status", async () => {
    const statuses = ["PENDING", "OK", "WARN", "STALL", "STOP", "REWIND"] as const;
    const g = group("g", { partitions: statuses.map((status, i) => partition("t", i, { committed: 1, end: 1, lag: 0, status })) });
    const { body } = await renderMetrics({ ...fixture, groups: [g] }, options());
    const reported = samples(body).filter((s) => s.name === "signalbox_consumergroup_partition_status");
    expect(reported.map((s) => [s.labels.partition, s.labels.status, s.value])).toEqual([
      ["2", "WARN", 1],
      ["3", "STALL", 1],
      ["4", "STOP", 1],
      ["5", "REWIND", 1],
    ]);
  });

  it("escapes backslash, double quote and newline in label values and stays valid exposition", async () => {
    const topic = 'we"ird\\topic\nname';
    const groupId = 'gr"oup\\\n';
    const snapshot: LagSnapshot = {
      ...fixture,
      topics: [{ topic, partitions: [{ topic, partition: 0, low: 0, high: 5 }], produceRate: 1 }],
      groups: [group(groupId, { status: "WARN", maxLagSeconds: 2, partitions: [partition(topic, 0, { committed: 3, end: 5, lag: 2, lagSeconds: 2, status: "WARN" })] })],
    };
    const { body } = await renderMetrics(snapshot, options({ constLabels: { cluster: 'pro"d' } }));
    expect(body).toContain('kafka_topic_partitions{cluster="pro\\"d",topic="we\\"ird\\\\topic\\nname"} 1\n');
    expect(body).toContain('kafka_consumergroup_lag{cluster="pro\\"d",consumergroup="gr\\"oup\\\\\\n",topic="we\\"ird\\\\topic\\nname",partition="0"} 2\n');
    expect(validateExposition(body)).toEqual([]);
    // Every sample's labels unescape back to the original names.
    for (const s of samples(body)) {
      expect(s.labels.cluster).toBe('pro"d');
      if ("topic" in s.labels) expect(s.labels.topic).toBe(topic);
      if ("consumergroup" in s.labels) expect(s.labels.consumergroup).toBe(groupId);
    }
  });

  it("keeps series apart whose label values would collide under naive concatenation", async () => {
    // prom-client keys series by `name:value,` concatenation; these two would merge there.
    const snapshot: LagSnapshot = {
      ...fixture,
      groups: [
        group("g,topic:a", { partitions: [partition("b", 0, { committed: 1, end: 2, lag: 1 })] }),
        group("g", { partitions: [partition("a,topic:b", 0, { committed: 1, end: 4, lag: 3 })] }),
      ],
    };
    const { body } = await renderMetrics(snapshot, options());
    const sums = samples(body).filter((s) => s.name === "kafka_consumergroup_lag_sum");
    expect(sums.map((s) => [s.labels.consumergroup, s.labels.topic, s.value])).toEqual([
      ["g,topic:a", "b", 1],
      ["g", "a,topic:b", 3],
    ]);
  });

  it("adds constant labels to every series, including label-less ones", async () => {
    const { body } = await renderMetrics(fixture, options({ replicas, constLabels: { cluster: "prod", env: "eu" } }));
    const all = samples(body);
    expect(all.length).toBeGreaterThan(10);
    for (const s of all) expect([s.labels.cluster, s.labels.env]).toEqual(["prod", "eu"]);
    expect(body).toContain('kafka_brokers{cluster="prod",env="eu"} 2\n');
    expect(body).toContain('kafka_broker_info{cluster="prod",env="eu",address="b1.example:9092",id="1"} 1\n');
    expect(body).toContain('signalbox_sampler_up{cluster="prod",env="eu"} 1\n');
    expect(validateExposition(body)).toEqual([]);
  });

  it("rejects invalid or colliding constant label names", async () => {
    await expect(renderMetrics(fixture, options({ constLabels: { "bad-name": "x" } }))).rejects.toThrow(/label name/);
    await expect(renderMetrics(fixture, options({ constLabels: { __reserved: "x" } }))).rejects.toThrow(/label name/);
    await expect(renderMetrics(fixture, options({ constLabels: { topic: "x" } }))).rejects.toThrow(/collides/);
  });
});

describe("escapeLabelValue", () => {
  it("escapes exactly backslash, double quote and newline", () => {
    expect(escapeLabelValue("plain-name_1.2")).toBe("plain-name_1.2");
    expect(escapeLabelValue('a\\b"c\nd\te')).toBe('a\\\\b\\"c\\nd\te');
  });
});

// A strict reader of the text exposition format, enough to check what the renderer writes.
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!name) throw new Error(`bad label name at ${i} in ${text}`);
    i += name[0].length;
    if (text.slice(i, i + 2) !== '="') throw new Error(`expected =" at ${i} in ${text}`);
    i += 2;
    let value = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error(`unterminated value in ${text}`);
      if (c === "\n") throw new Error("raw newline in label value");
      if (c === '"') break;
      if (c === "\\") {
        const next = text[i + 1];
        if (next === "\\") value += "\\";
        else if (next === '"') value += '"';
        else if (next === "n") value += "\n";
        else throw new Error(`bad escape \\${next} in ${text}`);
        i += 2;
      } else {
        value += c;
        i += 1;
      }
    }
    i += 1;
    if (name[0] in labels) throw new Error(`duplicate label ${name[0]}`);
    labels[name[0]] = value;
    if (i < text.length) {
      if (text[i] !== ",") throw new Error(`expected , at ${i} in ${text}`);
      i += 1;
    }
  }
  return labels;
}

function samples(body: string): Sample[] {
  return body
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((line) => {
      const m = SAMPLE.exec(line);
      if (!m?.[1] || !m[3]) throw new Error(`not a sample line: ${line}`);
      return { name: m[1], labels: m[2] === undefined ? {} : parseLabels(m[2]), value: Number(m[3]) };
    });
}

/** Problems found in an exposition body; empty when valid. */
function validateExposition(body: string): string[] {
  const problems: string[] = [];
  if (!body.endsWith("\n")) problems.push("body must end with a newline");
  const typed = new Set<string>();
  const seen = new Set<string>();
  let current: string | null = null;
  for (const line of body.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, family = "", rest] = meta;
      if (kind === "TYPE") {
        if (typed.has(family)) problems.push(`family ${family} appears twice`);
        typed.add(family);
        if (rest !== "gauge") problems.push(`unexpected type ${rest}`);
      }
      current = family;
      continue;
    }
    try {
      const s = samples(line)[0];
      if (!s) throw new Error(`empty line inside the body`);
      if (s.name !== current) problems.push(`sample ${s.name} outside its family`);
      if (Number.isNaN(s.value)) problems.push(`bad value in ${line}`);
      const key = `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
      if (seen.has(key)) problems.push(`duplicate series ${line}`);
      seen.add(key);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return problems;
}

describe("DLQ families", () => {
  it("renders depth, inflow, oldest age and growing per DLQ topic, with or without a snapshot", async () => {
    const dlq = [
      { topic: "payments.DLQ", depth: 12, inflowPerMin: 2.4, oldestAgeMs: 90_000, growing: true },
      { topic: 'odd"name.DLQ', depth: 0, inflowPerMin: 0, oldestAgeMs: null, growing: false },
    ];
    const { body } = await renderMetrics(null, options({ dlq }));
    expect(body).toContain('signalbox_dlq_depth{topic="payments.DLQ"} 12\n');
    expect(body).toContain('signalbox_dlq_inflow_per_minute{topic="payments.DLQ"} 2.4\n');
    expect(body).toContain('signalbox_dlq_oldest_age_seconds{topic="payments.DLQ"} 90\n');
    expect(body).toContain('signalbox_dlq_growing{topic="payments.DLQ"} 1\n');
    expect(body).toContain('signalbox_dlq_depth{topic="odd\\"name.DLQ"} 0\n');
    expect(body).not.toContain('signalbox_dlq_oldest_age_seconds{topic="odd');
    expect(body).toContain("# TYPE signalbox_dlq_depth gauge");
    expect((await renderMetrics(null, options())).body).not.toContain("signalbox_dlq");
  });
});

describe("outbox families", () => {
  it("renders rows waiting, the oldest row's age, the publish rate and the stalled flag per outbox; an unreadable one only as down", async () => {
    const outboxes = [
      { name: "shop", status: "STALLED" as const, unpublished: 42, oldestAgeMs: 95_000, publishedPerSec: 0 },
      { name: "billing", status: "UNREACHABLE" as const, unpublished: null, oldestAgeMs: null, publishedPerSec: null },
    ];
    const { body } = await renderMetrics(null, options({ outboxes }));
    expect(body).toContain('signalbox_outbox_unpublished_rows{outbox="shop"} 42\n');
    expect(body).toContain('signalbox_outbox_oldest_age_seconds{outbox="shop"} 95\n');
    expect(body).toContain('signalbox_outbox_published_per_second{outbox="shop"} 0\n');
    expect(body).toContain('signalbox_outbox_stalled{outbox="shop"} 1\n');
    expect(body).toContain('signalbox_outbox_up{outbox="shop"} 1\n');
    expect(body).toContain('signalbox_outbox_up{outbox="billing"} 0\n');
    expect(body).not.toContain('signalbox_outbox_unpublished_rows{outbox="billing"');
    expect(body).toContain("# TYPE signalbox_outbox_unpublished_rows gauge");
    expect((await renderMetrics(null, options())).body).not.toContain("signalbox_outbox");
  });
});

describe("renderClustersMetrics", () => {
  it("writes each family once, with every cluster's samples under it, each labelled with its cluster", async () => {
    const { body } = await renderClustersMetrics([
      { snapshot: fixture, options: options({ constLabels: { cluster: "prod" } }) },
      { snapshot: null, options: options({ constLabels: { cluster: "dev" } }) },
    ]);
    expect(body.match(/^# TYPE signalbox_sampler_up gauge$/gm)).toHaveLength(1);
    expect(body).toContain('signalbox_sampler_up{cluster="prod"} 1');
    expect(body).toContain('signalbox_sampler_up{cluster="dev"} 0');
    // The samples of one family follow its TYPE line, clusters together.
    const lines = body.split("\n");
    const type = lines.indexOf("# TYPE signalbox_sampler_up gauge");
    expect(lines.slice(type + 1, type + 3).sort()).toEqual(['signalbox_sampler_up{cluster="dev"} 0', 'signalbox_sampler_up{cluster="prod"} 1']);
    expect(body).not.toMatch(/kafka_consumergroup_lag\{cluster="dev"/);
    expect(body).toMatch(/kafka_consumergroup_lag\{cluster="prod"/);
  });

  it("gives the same text when a snapshot's lag families were rendered ahead, and keeps the per-scrape parts per scrape", async () => {
    const fresh = structuredClone(fixture);
    const scrape = (over: Partial<RenderMetricsOptions> = {}) => renderClustersMetrics([{ snapshot: fresh, options: options({ constLabels: { cluster: "prod" }, replicas, ...over }) }]);
    const { body: unrendered } = await renderClustersMetrics([{ snapshot: structuredClone(fixture), options: options({ constLabels: { cluster: "prod" }, replicas }) }]);
    prerenderLagFamilies(fresh, { cluster: "prod" });
    expect((await scrape()).body).toBe(unrendered);
    // Scraped again (the rendered families reused): the same, and still withheld once the snapshot is stale.
    expect((await scrape()).body).toBe(unrendered);
    const stale = (await scrape({ now: TAKEN_AT + 120_000 })).body;
    expect(stale).toContain('signalbox_sampler_up{cluster="prod"} 0');
    expect(stale).not.toContain("kafka_consumergroup_lag{");
    // Other constant labels are rendered for themselves, not taken from the earlier ones.
    const other = (await renderClustersMetrics([{ snapshot: fresh, options: options({ constLabels: { cluster: "eu" } }) }])).body;
    expect(other).toMatch(/kafka_consumergroup_lag\{cluster="eu"/);
    expect(other).not.toContain('cluster="prod"');
  });
});

describe("flow families", () => {
  it("renders instances by state, counters, and latency as cumulative Prometheus histograms", async () => {
    const counts = new Array<number>(14).fill(0);
    counts[3] = 2; // ≤ 500 ms
    counts[5] = 1; // ≤ 2.5 s
    counts[13] = 1; // above every bound
    const { body } = await renderMetrics(null, {
      ...options(),
      flows: [
        {
          name: 'Order "checkout"',
          open: { RUNNING: 4, STUCK: 2, FAILED: 1 },
          totals: { started: 10, completed: 6, compensated: 2, failed: 1, duplicates: 3, repeated: 1, outOfOrder: 0 },
          e2e: { counts, sumMs: 9_000 },
          steps: [{ step: "OrderPlaced>PaymentSucceeded", counts, sumMs: 4_000 }],
        },
      ],
    });
    const flow = 'flow="Order \\"checkout\\""';
    expect(body).toContain(`signalbox_flow_instances{${flow},state="STUCK"} 2`);
    expect(body).toContain("# TYPE signalbox_flow_instances_total counter");
    expect(body).toContain(`signalbox_flow_instances_total{${flow},outcome="compensated"} 2`);
    expect(body).toContain("# TYPE signalbox_flow_duration_seconds histogram");
    expect(body).toContain(`signalbox_flow_duration_seconds_bucket{${flow},le="0.25"} 0`);
    expect(body).toContain(`signalbox_flow_duration_seconds_bucket{${flow},le="0.5"} 2`);
    expect(body).toContain(`signalbox_flow_duration_seconds_bucket{${flow},le="2.5"} 3`);
    expect(body).toContain(`signalbox_flow_duration_seconds_bucket{${flow},le="+Inf"} 4`);
    expect(body).toContain(`signalbox_flow_duration_seconds_sum{${flow}} 9`);
    expect(body).toContain(`signalbox_flow_duration_seconds_count{${flow}} 4`);
    expect(body).toContain(`signalbox_flow_step_duration_seconds_count{${flow},step="OrderPlaced>PaymentSucceeded"} 4`);
  });
});
