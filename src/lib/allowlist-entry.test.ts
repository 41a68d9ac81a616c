import { describe, expect, it } from "vitest";
import { isAllowlistEntry } from "./allowlist-entry";

describe("isAllowlistEntry", () => {
  it.each(["10.0.0.0/8", "127.0.0.1", "fd00::/8", "[::1]", "hooks.internal", "localhost"])("accepts %s", (entry) => expect(isAllowlistEntry(entry)).toBe(true));
  it.each(["10.0.0.0/33", "http://x", "a b", "fd00::/200"])("rejects %s", (entry) => expect(isAllowlistEntry(entry)).toBe(false));
});
