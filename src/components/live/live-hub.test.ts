import { describe, expect, it } from "vitest";
import { RETRY_MAX_MS, RETRY_MIN_MS, retryDelay } from "./live-hub";

describe("retryDelay", () => {
  it("doubles from the minimum with each failure in a row, up to the cap", () => {
    expect(retryDelay(1)).toBe(RETRY_MIN_MS);
    expect(retryDelay(2)).toBe(RETRY_MIN_MS * 2);
    expect(retryDelay(3)).toBe(RETRY_MIN_MS * 4);
    expect(retryDelay(50)).toBe(RETRY_MAX_MS);
  });
});
