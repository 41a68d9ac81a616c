import { describe, expect, it } from "vitest";
import { HEADER_FIXTURES, int32, int64 } from "./__fixtures__/dlq-headers.fixtures";
import { headerInteger, readDlqHeaders, redriveAttempt } from "./headers";

describe("readDlqHeaders", () => {
  for (const fixture of HEADER_FIXTURES) {
    it(`reads the ${fixture.name} convention`, () => {
      const r = readDlqHeaders(fixture.headers);
      expect({
        convention: r.convention,
        topic: r.origin.topic,
        partition: r.origin.partition,
        offset: r.origin.offset,
        timestamp: r.origin.timestamp,
        errorClass: r.error.errorClass,
        message: r.error.message,
        stackTrace: r.error.stackTrace,
        attempts: r.attempts,
      }).toEqual(fixture.expected);
    });
  }

  it("takes the last of repeated headers (a record dead-lettered twice)", () => {
    const r = readDlqHeaders([
      { key: "kafka_dlt-original-topic", value: Buffer.from("first") },
      { key: "kafka_dlt-original-topic", value: Buffer.from("second") },
    ]);
    expect(r.origin.topic).toBe("second");
  });

  it("survives null and garbage values", () => {
    const r = readDlqHeaders([
      { key: "kafka_dlt-original-topic", value: null },
      { key: "kafka_dlt-original-partition", value: Buffer.from([1, 2, 3]) },
      { key: "kafka_dlt-exception-message", value: Buffer.from([0xff, 0xfe]) },
    ]);
    expect(r.convention).toBe("spring-kafka");
    expect(r.origin.topic).toBeNull();
    expect(r.origin.partition).toBeNull();
    expect(typeof r.error.message).toBe("string");
  });

  it("counts Spring retry-topic attempts without a DLT header", () => {
    expect(readDlqHeaders([{ key: "retry_topic-attempts", value: int32(2) }]).attempts).toBe(2);
    expect(readDlqHeaders([{ key: "retry_topic-attempts", value: Buffer.from("5") }]).attempts).toBe(5);
  });

  it("falls back to the key-exception headers when only the key failed", () => {
    const r = readDlqHeaders([{ key: "kafka_dlt-key-exception-fqcn", value: Buffer.from("org.apache.kafka.common.errors.SerializationException") }]);
    expect(r.error.errorClass).toBe("org.apache.kafka.common.errors.SerializationException");
  });
});

describe("headerInteger", () => {
  it("reads decimal text and big-endian int and long", () => {
    expect(headerInteger(Buffer.from("42"))).toBe("42");
    expect(headerInteger(int32(42))).toBe("42");
    expect(headerInteger(int64(9_223_372_036_854_775_807n))).toBe("9223372036854775807");
    expect(headerInteger(int32(-1))).toBe("-1");
  });
  it("gives null for what is neither", () => {
    expect(headerInteger(null)).toBeNull();
    expect(headerInteger(Buffer.alloc(0))).toBeNull();
    expect(headerInteger(Buffer.from("abc"))).toBeNull();
  });
});

describe("redriveAttempt", () => {
  it("is 0 for a record never redriven and reads the header otherwise", () => {
    expect(redriveAttempt([])).toBe(0);
    expect(redriveAttempt([{ key: "x-redrive-attempt", value: Buffer.from("2") }])).toBe(2);
  });
});
