// A failure's reason: what the DLQ list groups by. One failure must be one group, however the tool
// that dead-lettered it wrapped it, so the reason is taken from the failure's cause.
//
// Spring Kafka's listener container wraps what a listener throws in a ListenerExecutionFailedException
// ("Listener failed", or "Listener method '…' threw exception" for @KafkaListener methods), and its
// DeadLetterPublishingRecoverer writes the wrapper into the headers:
// - spring-kafka 3.x: kafka_dlt-exception-fqcn is the wrapper, kafka_dlt-exception-cause-fqcn the root
//   cause, and kafka_dlt-exception-message "<wrapper message>; <root cause message>";
// - spring-kafka 2.x on Spring Framework 5: the message is NestedRuntimeException's
//   "<wrapper message>; nested exception is <cause class>: <cause message>", nested once per level;
// - a version that wrote the wrapper's message alone ("Listener failed") leaves the cause only in
//   kafka_dlt-exception-stacktrace, as its last "Caused by:" line.
// The same failure dead-lettered unwrapped (by another recoverer, Spring Cloud Stream, or a service
// of its own) carries just the cause's class and message. Both must give the same reason.
import type { DlqError } from "./headers";

const MAX_REASON_MESSAGE = 160;

/** The wrapper messages Spring Kafka's container gives a listener's failure (its first line). */
const LISTENER_WRAPPER = /^(?:Listener failed|Listener method '[^']*' threw exception|Listener method could not be invoked with the incoming message)(?=$|;|\r?\n)/;
const NESTED = "; nested exception is ";
/** "com.acme.PaymentException: message" or "com.acme.PaymentException": a Java Throwable's toString(). */
const THROWABLE_TEXT = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)(?::\s?([\s\S]*))?$/;
const CAUSED_BY = /^Caused by: ([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)(?::\s?(.*))?$/gm;

/** Splits "class: message" (Throwable.toString()); null when the text does not start with a class name. */
function throwableText(text: string): { errorClass: string; message: string | null } | null {
  const m = THROWABLE_TEXT.exec(text.trim());
  return m ? { errorClass: m[1]!, message: m[2]?.trim() || null } : null;
}

/**
 * The failure's cause: the class and message a listener's exception had before Spring's listener
 * container wrapped it. Anything that is not such a wrapper is returned as it is.
 */
export function unwrapListenerFailure(error: DlqError): DlqError {
  const message = error.message;
  if (!message) return error;
  // Spring Framework 5: the innermost "nested exception is" names the root cause, class and message.
  const nestedAt = message.lastIndexOf(NESTED);
  if (nestedAt >= 0) {
    const inner = throwableText(message.slice(nestedAt + NESTED.length));
    if (inner) return { ...error, errorClass: inner.errorClass, message: inner.message };
  }
  if (!LISTENER_WRAPPER.test(message)) return error;
  // spring-kafka 3.x: "<wrapper>; <root cause message>". The wrapper may span lines (the endpoint's
  // details follow a @KafkaListener method's), so the cause begins after the first "; ".
  const separator = message.indexOf("; ");
  if (separator >= 0) return { ...error, message: message.slice(separator + 2) || null };
  // The wrapper's message alone: the stack trace's last "Caused by:" is the root cause.
  const causes = [...(error.stackTrace ?? "").matchAll(CAUSED_BY)];
  const root = causes.at(-1);
  if (root) return { ...error, errorClass: root[1]!, message: root[2]?.trim() || null };
  return { ...error, message: null };
}

/**
 * A failure message with its variable parts replaced, so failures of one cause group together:
 * UUIDs, hex ids, numbers and quoted values become placeholders; whitespace collapses.
 */
export function normaliseErrorMessage(message: string | null): string {
  if (!message) return "";
  const firstLine = message.split(/\r?\n/, 1)[0]!;
  const normalised = firstLine
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
    .replace(/"[^"]*"|'[^']*'/g, "<value>")
    .replace(/\b0x[0-9a-f]+\b/gi, "<hex>")
    .replace(/\b[0-9a-f]{16,}\b/gi, "<hex>")
    .replace(/\d+(\.\d+)?/g, "<n>")
    .replace(/\s+/g, " ")
    .trim();
  return normalised.length > MAX_REASON_MESSAGE ? `${normalised.slice(0, MAX_REASON_MESSAGE - 1)}…` : normalised;
}

/** The grouping key of a failure: its cause's class plus the cause's normalised message. */
export function failureReason(error: DlqError): string {
  const cause = unwrapListenerFailure(error);
  const cls = cause.errorClass?.trim() || "Unknown error";
  const message = normaliseErrorMessage(cause.message);
  return message ? `${cls}: ${message}` : cls;
}

/**
 * Whether the cause of a failure with this message can only be read from its stack trace (the
 * wrapper's message alone). The index does not keep stack traces, so such a record's reason can be
 * computed again only from the record itself; every other stored message suffices (see
 * regroupWrappedReasons).
 */
export function causeNeedsStackTrace(message: string | null): boolean {
  return message !== null && !message.includes(NESTED) && LISTENER_WRAPPER.test(message) && !message.includes("; ");
}
