import { describe, expect, it, vi } from "vitest";
import { checkWebhookOnSave, refusalFor, resolveWebhookTarget, webhookPolicy, type Resolver } from "./webhook-policy";

const none = webhookPolicy([]);
const fakeDns =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

describe("refusalFor", () => {
  it.each([
    ["127.0.0.1", "address 127.0.0.1 is loopback"],
    ["127.8.9.10", "address 127.8.9.10 is loopback"],
    ["::1", "address ::1 is loopback"],
    ["10.0.0.5", "address 10.0.0.5 is private"],
    ["172.16.4.2", "address 172.16.4.2 is private"],
    ["172.31.255.255", "address 172.31.255.255 is private"],
    ["192.168.1.1", "address 192.168.1.1 is private"],
    ["169.254.169.254", "address 169.254.169.254 is a cloud metadata service"],
    ["169.254.10.1", "address 169.254.10.1 is link-local"],
    ["::ffff:169.254.169.254", "address 169.254.169.254 is a cloud metadata service"],
    ["[::ffff:169.254.169.254]", "address 169.254.169.254 is a cloud metadata service"],
    ["::ffff:a9fe:a9fe", "address 169.254.169.254 is a cloud metadata service"],
    ["::ffff:127.0.0.1", "address 127.0.0.1 is loopback"],
    ["::ffff:10.1.2.3", "address 10.1.2.3 is private"],
    ["fd00:ec2::254", "address fd00:ec2::254 is a cloud metadata service"],
    ["fd00::1", "address fd00::1 is private (unique local)"],
    ["fe80::1", "address fe80::1 is link-local"],
    ["0.0.0.0", "address 0.0.0.0 is unspecified"],
    ["::", "address :: is unspecified"],
    ["100.64.0.1", "address 100.64.0.1 is shared address space (CGNAT)"],
    ["100.127.255.254", "address 100.127.255.254 is shared address space (CGNAT)"],
    ["224.0.0.1", "address 224.0.0.1 is multicast"],
    ["ff02::1", "address ff02::1 is multicast"],
    ["255.255.255.255", "address 255.255.255.255 is broadcast"],
    ["not-an-address", "address not-an-address is not an IP address"],
  ])("refuses %s", (address, reason) => {
    expect(refusalFor(address, none)).toBe(reason);
  });

  it.each(["93.184.216.34", "8.8.8.8", "100.128.0.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows the public address %s", (address) => {
    expect(refusalFor(address, none)).toBeNull();
  });

  it("allows what the allowlist names: an address, a CIDR (also in IPv4-mapped form), an IPv6 range", () => {
    const policy = webhookPolicy(["127.0.0.1", " 10.20.0.0/16", "[fd12::/16]", "::ffff:192.168.7.0/120"]);
    expect(refusalFor("127.0.0.1", policy)).toBeNull();
    expect(refusalFor("10.20.30.40", policy)).toBeNull();
    expect(refusalFor("::ffff:10.20.30.40", policy)).toBeNull();
    expect(refusalFor("fd12::7", policy)).toBeNull();
    expect(refusalFor("192.168.7.9", policy)).toBeNull();
    // Only what it names.
    expect(refusalFor("127.0.0.2", policy)).toBe("address 127.0.0.2 is loopback");
    expect(refusalFor("10.21.0.1", policy)).toBe("address 10.21.0.1 is private");
    expect(refusalFor("169.254.169.254", policy)).toBe("address 169.254.169.254 is a cloud metadata service");
  });
});

describe("checkWebhookOnSave", () => {
  const dns = fakeDns({ "hooks.example.com": ["93.184.216.34"], "internal.example.com": ["93.184.216.34", "10.0.0.5"] });

  it("refuses literal internal addresses and localhost names, without asking DNS", async () => {
    const noDns: Resolver = () => Promise.reject(new Error("must not resolve"));
    await expect(checkWebhookOnSave("http://169.254.169.254/latest/meta-data/iam", none, noDns)).rejects.toThrow("address 169.254.169.254 is a cloud metadata service");
    await expect(checkWebhookOnSave("http://[::ffff:169.254.169.254]/", none, noDns)).rejects.toThrow("address 169.254.169.254 is a cloud metadata service");
    await expect(checkWebhookOnSave("http://2130706433:8080/", none, noDns)).rejects.toThrow("address 127.0.0.1 is loopback");
    await expect(checkWebhookOnSave("http://localhost:3000/hook", none, noDns)).rejects.toThrow("localhost is loopback (127.0.0.1)");
    await expect(checkWebhookOnSave("http://api.localhost./", none, noDns)).rejects.toThrow("api.localhost is loopback (127.0.0.1)");
    await expect(checkWebhookOnSave("http://[fd00::1]/", none, noDns)).rejects.toThrow("address fd00::1 is private (unique local)");
  });

  it("refuses a name when any of its addresses is refused, and accepts public or unresolvable names", async () => {
    await expect(checkWebhookOnSave("https://internal.example.com/hook", none, dns)).rejects.toThrow("internal.example.com resolves to 10.0.0.5, which is private");
    await expect(checkWebhookOnSave("https://hooks.example.com/x?token=1", none, dns)).resolves.toBeUndefined();
    await expect(checkWebhookOnSave("https://not-yet.example.com/x", none, dns)).resolves.toBeUndefined();
  });

  it("does not let a resolver that never answers hold up saving", async () => {
    vi.useFakeTimers();
    try {
      const saving = checkWebhookOnSave("https://slow-dns.example.com/", none, () => new Promise(() => undefined));
      await vi.advanceTimersByTimeAsync(3000);
      await expect(saving).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("accepts what the allowlist names", async () => {
    await expect(checkWebhookOnSave("http://127.0.0.1:9000/", webhookPolicy(["127.0.0.0/8"]), dns)).resolves.toBeUndefined();
    await expect(checkWebhookOnSave("http://localhost:9000/", webhookPolicy(["127.0.0.1"]), dns)).resolves.toBeUndefined();
    await expect(checkWebhookOnSave("https://internal.example.com/", webhookPolicy(["internal.example.com"]), dns)).resolves.toBeUndefined();
  });

  it("refuses other schemes and credentials in the URL", async () => {
    await expect(checkWebhookOnSave("ftp://hooks.example.com/", none, dns)).rejects.toThrow("http or https");
    await expect(checkWebhookOnSave("file:///etc/passwd", none, dns)).rejects.toThrow("http or https");
    await expect(checkWebhookOnSave("http://user:pw@hooks.example.com/", none, dns)).rejects.toThrow("user name or password");
    await expect(checkWebhookOnSave("not a url", none, dns)).rejects.toThrow("not a URL");
  });
});

describe("resolveWebhookTarget", () => {
  const dns = fakeDns({ "hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"], "rebind.example.com": ["93.184.216.34", "127.0.0.1"], "meta.example.com": ["::ffff:169.254.169.254"] });

  it("returns the checked address to connect to", async () => {
    await expect(resolveWebhookTarget(new URL("https://hooks.example.com/x"), none, dns)).resolves.toEqual({ address: "93.184.216.34", family: 4 });
    await expect(resolveWebhookTarget(new URL("http://[2606:4700::1]/"), none, dns)).resolves.toEqual({ address: "2606:4700::1", family: 6 });
  });

  it("refuses when any resolved address is refused", async () => {
    await expect(resolveWebhookTarget(new URL("https://rebind.example.com/"), none, dns)).rejects.toThrow("rebind.example.com resolves to 127.0.0.1, which is loopback");
    await expect(resolveWebhookTarget(new URL("https://meta.example.com/"), none, dns)).rejects.toThrow("meta.example.com resolves to 169.254.169.254, which is a cloud metadata service");
    await expect(resolveWebhookTarget(new URL("http://10.0.0.5/"), none, dns)).rejects.toThrow("address 10.0.0.5 is private");
  });

  it("lets DNS errors through for the caller to retry", async () => {
    await expect(resolveWebhookTarget(new URL("https://gone.example.com/"), none, dns)).rejects.toMatchObject({ code: "ENOTFOUND" });
  });
});
