import { AppError, type AppErrorCode } from "~/server/errors";

/** Why a single sign-on failed, for the sign-in page to explain and for tests to tell apart. */
export type OidcFailure =
  | "ISSUER_UNREACHABLE"
  | "DISCOVERY_FAILED"
  | "TRANSACTION_INVALID"
  | "TRANSACTION_EXPIRED"
  | "STATE_MISMATCH"
  | "PROVIDER_ERROR"
  | "TOKEN_EXCHANGE_FAILED"
  | "MISSING_CLAIM";

const CODES: Record<OidcFailure, AppErrorCode> = {
  ISSUER_UNREACHABLE: "IDENTITY_PROVIDER_UNREACHABLE",
  DISCOVERY_FAILED: "IDENTITY_PROVIDER_UNREACHABLE",
  TRANSACTION_INVALID: "UNAUTHORIZED",
  TRANSACTION_EXPIRED: "UNAUTHORIZED",
  STATE_MISMATCH: "UNAUTHORIZED",
  PROVIDER_ERROR: "UNAUTHORIZED",
  TOKEN_EXCHANGE_FAILED: "UNAUTHORIZED",
  MISSING_CLAIM: "UNAUTHORIZED",
};

export class OidcError extends AppError {
  readonly failure: OidcFailure;

  constructor(failure: OidcFailure, userMessage: string, options?: { cause?: unknown; internalMessage?: string }) {
    super(CODES[failure], userMessage, options);
    this.name = "OidcError";
    this.failure = failure;
  }
}
