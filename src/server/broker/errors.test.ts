import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from "kafkajs";
import { describe, expect, it } from "vitest";
import { translateKafkaError } from "./errors";

describe("translateKafkaError", () => {
  it("calls a refused connection unreachable and keeps the reason", () => {
    const cause = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:1");
    const error = translateKafkaError(new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 2, retryTime: 1000 }), "describe the cluster");
    expect(error.code).toBe("BROKER_UNREACHABLE");
    expect(error.userMessage).toBe("Kafka is unreachable: could not describe the cluster (ECONNREFUSED).");
  });

  it("recognises authentication failures", () => {
    const error = translateKafkaError(new Error("SASL PLAIN authentication failed: Authentication failed"), "connect");
    expect(error.code).toBe("BROKER_AUTH_FAILED");
  });

  it("maps an unknown topic to NOT_FOUND", () => {
    const protocolError = new KafkaJSProtocolError({ message: "Unknown topic", type: "UNKNOWN_TOPIC_OR_PARTITION", code: 3, retriable: false } as unknown as Error);
    expect(translateKafkaError(protocolError, "read offsets").code).toBe("NOT_FOUND");
  });

  it("keeps other broker errors readable", () => {
    const error = translateKafkaError(new Error("Invalid replication factor"), "create topics");
    expect(error.code).toBe("BROKER_ERROR");
    expect(error.userMessage).toContain("Invalid replication factor");
  });
});
