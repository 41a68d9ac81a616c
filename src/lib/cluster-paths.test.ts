import { describe, expect, it } from "vitest";
import { clusterOfPath, clusterPath, legacyRedirect, switchClusterPath } from "./cluster-paths";

describe("clusterPath", () => {
  it("puts a path under its cluster, the overview at /c/<cluster>/", () => {
    expect(clusterPath("prod-eu", "/topics/orders")).toBe("/c/prod-eu/topics/orders");
    expect(clusterPath("prod-eu")).toBe("/c/prod-eu");
    expect(clusterPath("prod-eu", "/")).toBe("/c/prod-eu");
    expect(clusterPath("prod-eu", "dlq?topic=a")).toBe("/c/prod-eu/dlq?topic=a");
  });
  it("encodes a name that is not URL-safe (an unknown name typed by hand)", () => {
    expect(clusterPath("a b/c", "/topics")).toBe("/c/a%20b%2Fc/topics");
  });
});

describe("clusterOfPath", () => {
  it("reads the cluster and the rest of the path", () => {
    expect(clusterOfPath("/c/dev/groups/billing")).toEqual({ cluster: "dev", rest: "/groups/billing" });
    expect(clusterOfPath("/c/dev/")).toEqual({ cluster: "dev", rest: "/" });
    expect(clusterOfPath("/c/dev")).toEqual({ cluster: "dev", rest: "/" });
    expect(clusterOfPath("/c/a%20b/topics")).toEqual({ cluster: "a b", rest: "/topics" });
  });
  it("says null for global pages and malformed names", () => {
    expect(clusterOfPath("/")).toBeNull();
    expect(clusterOfPath("/settings")).toBeNull();
    expect(clusterOfPath("/c/")).toBeNull();
    expect(clusterOfPath("/c/%E0%A4%A/topics")).toBeNull();
    expect(clusterOfPath("/cats")).toBeNull();
  });
});

describe("legacyRedirect", () => {
  it("moves every old cluster page under the default cluster, keeping path and query", () => {
    expect(legacyRedirect("/topics", "", "local")).toBe("/c/local/topics");
    expect(legacyRedirect("/dlq", "?topic=payments.DLQ", "local")).toBe("/c/local/dlq?topic=payments.DLQ");
    expect(legacyRedirect("/groups/abc", "", "local")).toBe("/c/local/groups/abc");
    expect(legacyRedirect("/groups/a%2Fb/reset", "?x=1", "local")).toBe("/c/local/groups/a%2Fb/reset?x=1");
    expect(legacyRedirect("/dlq/jobs/12", "", "local")).toBe("/c/local/dlq/jobs/12");
    expect(legacyRedirect("/messages/trace", "?id=c1&at=5", "local")).toBe("/c/local/messages/trace?id=c1&at=5");
    for (const section of ["topology", "replay", "alerts"]) expect(legacyRedirect(`/${section}`, "", "prod")).toBe(`/c/prod/${section}`);
  });
  it("leaves global pages, the API and cluster URLs where they are", () => {
    for (const path of ["/", "/settings", "/audit", "/schemas", "/schemas/OrderPlaced", "/sign-in", "/api/trpc/lag.topics", "/metrics", "/c/local/topics", "/topicsx", "/favicon.ico"]) {
      expect(legacyRedirect(path, "?a=1", "local")).toBeNull();
    }
  });
});

describe("switchClusterPath", () => {
  it("keeps list pages and forms on the other cluster", () => {
    expect(switchClusterPath("/c/a/topics", "b")).toBe("/c/b/topics");
    expect(switchClusterPath("/c/a", "b")).toBe("/c/b");
    expect(switchClusterPath("/c/a/messages/trace", "b")).toBe("/c/b/messages/trace");
    expect(switchClusterPath("/c/a/topics/new", "b")).toBe("/c/b/topics/new");
    expect(switchClusterPath("/c/a/dlq", "b")).toBe("/c/b/dlq");
  });
  it("goes from one thing (topic, group, job) to its section's list", () => {
    expect(switchClusterPath("/c/a/topics/orders", "b")).toBe("/c/b/topics");
    expect(switchClusterPath("/c/a/topics/orders/produce", "b")).toBe("/c/b/topics");
    expect(switchClusterPath("/c/a/groups/billing/reset", "b")).toBe("/c/b/groups");
    expect(switchClusterPath("/c/a/dlq/jobs/7", "b")).toBe("/c/b/dlq");
    expect(switchClusterPath("/c/a/replay/jobs/7", "b")).toBe("/c/b/replay");
  });
  it("opens the other cluster's overview from a global page", () => {
    expect(switchClusterPath("/", "b")).toBe("/c/b");
    expect(switchClusterPath("/settings", "b")).toBe("/c/b");
  });
});
