// What a form shows for a failed call: the server's own words, or, when the server gave no answer of
// its own (a proxy's 502 page while the web restarts), that it did not answer, not a JSON parser's error.
import { describe, expect, it } from "vitest";
import { errorText, NO_ANSWER } from "./error-text";

describe("errorText", () => {
  it("says the server did not answer when the call failed before reaching it", () => {
    expect(errorText({ message: "Unexpected non-whitespace character after JSON at position 4 (line 1 column 5)", data: undefined, shape: undefined })).toBe(NO_ANSWER);
  });

  it("gives the server's message, or its validation issues by field", () => {
    const data = { code: "CONFLICT", httpStatus: 409, path: "dlq.redrive", zodError: null } as const;
    expect(errorText({ message: "No pending record matches; nothing to do.", data, shape: { message: "No pending record matches; nothing to do.", code: -32009, data } } as never)).toBe("No pending record matches; nothing to do.");
    const invalid = { ...data, code: "BAD_REQUEST", zodError: [{ path: "ratePerSec", message: "Too small" }] };
    expect(errorText({ message: "invalid", data: invalid, shape: { message: "invalid", code: -32600, data: invalid } } as never)).toBe("ratePerSec: Too small");
  });
});
