import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from "kafkajs";
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

  it("calls a broker whose coordinators are still loading not ready (retry later), also when kafkajs gave up on it", () => {
    // After a restart the transaction coordinator answers EndTxn with COORDINATOR_LOAD_IN_PROGRESS (kafkajs: GROUP_LOAD_IN_PROGRESS),
    // which kafkajs does not retry there but wraps in a non-retriable error, its cause set as its retrier does.
    const loading = new KafkaJSProtocolError({ message: "The coordinator is loading and hence can't process requests", type: "GROUP_LOAD_IN_PROGRESS", code: 14, retriable: true } as unknown as Error);
    const error = translateKafkaError(Object.assign(new KafkaJSNonRetriableError(loading), { cause: loading }), "write a batch of replay job #1");
    expect(error.code).toBe("BROKER_NOT_READY");
    expect(error.userMessage).toBe("Kafka is not ready yet (GROUP_LOAD_IN_PROGRESS) while trying to write a batch of replay job #1: it is still starting up or electing a leader.");

    for (const type of ["NOT_COORDINATOR_FOR_GROUP", "GROUP_COORDINATOR_NOT_AVAILABLE", "CONCURRENT_TRANSACTIONS"]) {
      const protocolError = new KafkaJSProtocolError({ message: type, type, code: 0, retriable: false } as unknown as Error);
      expect(translateKafkaError(protocolError, "start the transactional producer").code).toBe("BROKER_NOT_READY");
    }
  });
});
