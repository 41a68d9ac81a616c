import { describe, expect, it } from "vitest";
import { clusterTopicPayload, parseClusterTopic, topicsByCluster } from "./changes";

describe("DLQ announcements name their cluster", () => {
  it("round-trips a cluster and topic, and refuses payloads that do not name both", () => {
    expect(parseClusterTopic(clusterTopicPayload("eu", "orders.DLQ"))).toEqual({ cluster: "eu", topic: "orders.DLQ" });
    // A bare topic name (what a worker of an earlier version announced) names no cluster.
    expect(parseClusterTopic("orders.DLQ")).toBeNull();
    expect(parseClusterTopic(JSON.stringify({ topic: "orders.DLQ" }))).toBeNull();
    expect(parseClusterTopic(JSON.stringify({ cluster: 1, topic: "orders.DLQ" }))).toBeNull();
    expect(parseClusterTopic("null")).toBeNull();
  });

  it("groups a batch by cluster, each topic once, and keeps the same topic of two clusters apart", () => {
    const batch = [clusterTopicPayload("eu", "a.DLQ"), clusterTopicPayload("us", "a.DLQ"), "garbage", clusterTopicPayload("eu", "a.DLQ"), clusterTopicPayload("eu", "b.DLQ")];
    expect(topicsByCluster(batch)).toEqual([
      { cluster: "eu", topics: ["a.DLQ", "b.DLQ"] },
      { cluster: "us", topics: ["a.DLQ"] },
    ]);
    expect(topicsByCluster(["garbage"])).toEqual([]);
  });
});
