// Signalbox's own dead-letter header convention (ARCHITECTURE.md): where a record came from and why it failed.
export interface DeadLetterOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export interface DeadLetterError {
  errorClass: string;
  message: string;
  attempts: number;
}

export function signalboxDlqHeaders(origin: DeadLetterOrigin, error: DeadLetterError): Record<string, string> {
  return {
    "x-original-topic": origin.topic,
    "x-original-partition": String(origin.partition),
    "x-original-offset": origin.offset,
    "x-error-class": error.errorClass,
    "x-error-message": error.message,
    "x-attempts": String(error.attempts),
  };
}
