import { describe, expect, it } from "vitest";
import { isInternalTopic, topicCollision, topicNameProblem } from "./topic-names";

describe("topicNameProblem (Kafka's Topic.validate)", () => {
  it("accepts letters, digits, '.', '_' and '-' up to 249 characters", () => {
    expect(topicNameProblem("orders.v2_eu-west")).toBeNull();
    expect(topicNameProblem("a".repeat(249))).toBeNull();
  });

  it("refuses empty, '.', '..', too long and illegal characters, naming the problem", () => {
    expect(topicNameProblem("")).toBe("Name the topic.");
    expect(topicNameProblem(".")).toBe('A topic cannot be named ".".');
    expect(topicNameProblem("..")).toBe('A topic cannot be named "..".');
    expect(topicNameProblem("a".repeat(250))).toBe("A topic name is at most 249 characters; this one has 250.");
    expect(topicNameProblem("my topic/x")).toBe('A topic name may only contain letters, digits, ".", "_" and "-"; this one has space, "/".');
  });
});

describe("topicCollision", () => {
  it("finds an existing topic whose name differs only by '.' against '_'", () => {
    expect(topicCollision("orders.eu", ["orders_eu", "payments"]).collidesWith).toBe("orders_eu");
    expect(topicCollision("orders-eu", ["orders_eu"]).collidesWith).toBeNull();
    // The topic itself is not a collision (re-checking an existing name).
    expect(topicCollision("orders.eu", ["orders.eu"]).collidesWith).toBeNull();
  });

  it("warns as kafka-topics does when the name has a '.' or '_'", () => {
    expect(topicCollision("orders.eu", []).warning).toMatch(/period \("\."\) or underscore \("_"\) could collide/);
    expect(topicCollision("orders-eu", []).warning).toBeNull();
  });
});

describe("isInternalTopic", () => {
  it("is true for names starting with two underscores", () => {
    expect(isInternalTopic("__consumer_offsets")).toBe(true);
    expect(isInternalTopic("_schemas")).toBe(false);
  });
});
