import { describe, expect, it } from "vitest";
import type { RecordHeader } from "~/server/broker";
import { readDlqHeaders } from "./headers";
import { causeNeedsStackTrace, failureReason, normaliseErrorMessage, unwrapListenerFailure } from "./reasons";

const LEFE = "org.springframework.kafka.listener.ListenerExecutionFailedException";
const TIMEOUT = "com.acme.payments.GatewayTimeoutException";

/** The exception headers Spring Kafka's DeadLetterPublishingRecoverer writes (the ones reasons read). */
function springHeaders(fqcn: string, message: string | null, causeFqcn?: string, stackTrace?: string): RecordHeader[] {
  const h = (key: string, value: string) => ({ key, value: Buffer.from(value, "utf8") });
  return [
    h("kafka_dlt-original-topic", "payments"),
    h("kafka_dlt-exception-fqcn", fqcn),
    ...(causeFqcn ? [h("kafka_dlt-exception-cause-fqcn", causeFqcn)] : []),
    ...(message !== null ? [h("kafka_dlt-exception-message", message)] : []),
    ...(stackTrace ? [h("kafka_dlt-exception-stacktrace", stackTrace)] : []),
  ];
}

const reasonOf = (headers: RecordHeader[]) => failureReason(readDlqHeaders(headers).error);

describe("failure reasons", () => {
  it("groups messages that differ only in ids and numbers", () => {
    const a = failureReason({ errorClass: "X", message: "Order 123 for customer 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed after 3000 ms", stackTrace: null });
    const b = failureReason({ errorClass: "X", message: "Order 9 for customer 9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d failed after 12 ms", stackTrace: null });
    expect(a).toBe(b);
    expect(a).toBe("X: Order <n> for customer <uuid> failed after <n> ms");
  });
  it("keeps different classes apart and names an unknown error", () => {
    expect(failureReason({ errorClass: "A", message: "m", stackTrace: null })).not.toBe(failureReason({ errorClass: "B", message: "m", stackTrace: null }));
    expect(failureReason({ errorClass: null, message: null, stackTrace: null })).toBe("Unknown error");
  });
  it("uses the first line only and caps the length", () => {
    expect(normaliseErrorMessage("first line\nsecond")).toBe("first line");
    expect(normaliseErrorMessage("x".repeat(500)).length).toBe(160);
    expect(normaliseErrorMessage('value "abc" is bad')).toBe("value <value> is bad");
  });
});

describe("a failure Spring Kafka's listener container wrapped groups with the same failure unwrapped", () => {
  const unwrapped = reasonOf(springHeaders(TIMEOUT, "Payment gateway did not answer within 1200 ms"));

  it("is the cause's class and message when unwrapped", () => {
    expect(unwrapped).toBe(`${TIMEOUT}: Payment gateway did not answer within <n> ms`);
  });

  it("spring-kafka 3.x: 'Listener failed; <root cause message>' with the root cause's class", () => {
    expect(reasonOf(springHeaders(LEFE, "Listener failed; Payment gateway did not answer within 3000 ms", TIMEOUT))).toBe(unwrapped);
  });

  it("a @KafkaListener method: 'Listener method '…' threw exception; <cause>', also with the endpoint's details on further lines", () => {
    const method = "Listener method 'public void com.acme.payments.PaymentListener.onPayment(java.lang.String)' threw exception";
    expect(reasonOf(springHeaders(LEFE, `${method}; Payment gateway did not answer within 3000 ms`, TIMEOUT))).toBe(unwrapped);
    const details = `${method}\nEndpoint handler details:\nMethod [public void com.acme.payments.PaymentListener.onPayment(java.lang.String)]\nBean [com.acme.payments.PaymentListener@6d4a65]`;
    expect(reasonOf(springHeaders(LEFE, `${details}; Payment gateway did not answer within 3000 ms`, TIMEOUT))).toBe(unwrapped);
  });

  it("spring-kafka 2.x on Spring Framework 5: '…; nested exception is <class>: <message>', the innermost level", () => {
    expect(reasonOf(springHeaders(LEFE, `Listener failed; nested exception is ${TIMEOUT}: Payment gateway did not answer within 3000 ms`, TIMEOUT))).toBe(unwrapped);
    // Two levels: the direct cause is itself a Spring exception; the root cause names the failure.
    const twice = `Listener method 'void com.acme.L.on(java.lang.String)' threw exception; nested exception is org.springframework.dao.DataIntegrityViolationException: could not execute statement; nested exception is ${TIMEOUT}: Payment gateway did not answer within 3000 ms`;
    expect(reasonOf(springHeaders(LEFE, twice, "org.springframework.dao.DataIntegrityViolationException"))).toBe(unwrapped);
    // Without a cause header (spring-kafka before 2.8) the class comes from the message too.
    expect(reasonOf(springHeaders(LEFE, `Listener failed; nested exception is ${TIMEOUT}: Payment gateway did not answer within 3000 ms`))).toBe(unwrapped);
  });

  it("the wrapper's message alone: the stack trace's last 'Caused by:' line is the cause", () => {
    const stack = [
      `${LEFE}: Listener failed`,
      "\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.decorateException(KafkaMessageListenerContainer.java:2976)",
      "Caused by: org.springframework.kafka.KafkaException: payment step failed",
      "\tat com.acme.payments.PaymentListener.onPayment(PaymentListener.java:40)",
      `Caused by: ${TIMEOUT}: Payment gateway did not answer within 3000 ms`,
      "\t... 12 more",
    ].join("\n");
    expect(reasonOf(springHeaders(LEFE, "Listener failed", TIMEOUT, stack))).toBe(unwrapped);
    // No stack trace either: the cause's class is all that is known.
    expect(reasonOf(springHeaders(LEFE, "Listener failed", TIMEOUT))).toBe(TIMEOUT);
  });

  it("a cause without a message groups with the same exception unwrapped", () => {
    expect(reasonOf(springHeaders(LEFE, "Listener failed; ", "java.lang.NullPointerException"))).toBe(reasonOf(springHeaders("java.lang.NullPointerException", null)));
  });

  it("leaves messages that only look alike as they are", () => {
    const error = { errorClass: "com.acme.ConfigException", message: "Listener failed to start: port 8080 in use; retrying", stackTrace: null };
    expect(unwrapListenerFailure(error)).toEqual(error);
    expect(failureReason(error)).toBe("com.acme.ConfigException: Listener failed to start: port <n> in use; retrying");
    expect(unwrapListenerFailure({ errorClass: "X", message: "a; nested exception is not a class name", stackTrace: null }).message).toBe("a; nested exception is not a class name");
  });

  it("says which stored messages need the stack trace to find their cause", () => {
    expect(causeNeedsStackTrace("Listener failed")).toBe(true);
    expect(causeNeedsStackTrace("Listener method 'void a.B.c()' threw exception")).toBe(true);
    expect(causeNeedsStackTrace("Listener failed; boom")).toBe(false);
    expect(causeNeedsStackTrace(`Listener failed; nested exception is ${TIMEOUT}: boom`)).toBe(false);
    expect(causeNeedsStackTrace("boom")).toBe(false);
    expect(causeNeedsStackTrace(null)).toBe(false);
  });
});
