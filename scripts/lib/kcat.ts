// kcat (librdkafka) as the independent reader in tests: reads a whole topic (read_committed, its
// default) and returns each record's key and value as exact bytes. Headers come back as text
// pairs in Kafka's order, duplicates included (test headers must not contain "," or "\n"). Also the
// producer of test records for suites that must not load the broker adapter (the e2e specs).
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface KcatRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, string][];
}

function runKcat(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("kcat", args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`kcat ${args.join(" ")} exited with ${code}: ${err}`))));
  });
}

/** Every value of header `name` on a record, in order. */
export function kcatHeader(record: KcatRecord, name: string): string[] {
  return record.headers.filter(([k]) => k === name).map(([, v]) => v);
}

export async function kcatConsume(bootstrap: string, topic: string): Promise<KcatRecord[]> {
  const raw = await runKcat(["-b", bootstrap, "-t", topic, "-C", "-e", "-q", "-o", "beginning", "-f", "%p\t%o\t%K\t%S\t%h\n%k%s\n"]);
  const records: KcatRecord[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf(0x0a, at);
    const [p, o, k, s, h] = raw.subarray(at, lineEnd).toString("utf8").split("\t");
    at = lineEnd + 1;
    const keyLength = Number(k);
    const valueLength = Number(s);
    const key = keyLength < 0 ? null : raw.subarray(at, at + keyLength);
    at += Math.max(0, keyLength);
    const value = valueLength < 0 ? null : raw.subarray(at, at + valueLength);
    at += Math.max(0, valueLength) + 1;
    const headers: [string, string][] = h
      ? h.split(",").map((pair) => {
          const i = pair.indexOf("=");
          return [pair.slice(0, i), pair.slice(i + 1)] as [string, string];
        })
      : [];
    records.push({ partition: Number(p), offset: Number(o), key: key && Buffer.from(key), value: value && Buffer.from(value), headers });
  }
  return records;
}

/** Produces `lines` ("key<TAB>value\n" each) with kcat, every record carrying `headers` ("name=value"). */
export async function kcatProduce(bootstrap: string, topic: string, lines: string, headers: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn("kcat", ["-b", bootstrap, "-t", topic, "-P", "-K", "\t", ...headers.flatMap((h) => ["-H", h])], { stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
    child.stdin.end(lines);
  });
}

/** Produces one record whose value is `value` byte for byte (binary, NUL bytes and all), under `key`. */
export async function kcatProduceBytes(bootstrap: string, topic: string, key: string, value: Uint8Array): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "kcat-"));
  try {
    const file = path.join(dir, "value");
    await writeFile(file, value);
    await new Promise<void>((resolve, reject) => {
      // A file operand is sent as one message, exactly as it is; murmur2 puts a key on the partition
      // the Java client and kafkajs would choose.
      const child = spawn("kcat", ["-b", bootstrap, "-t", topic, "-P", "-X", "topic.partitioner=murmur2_random", "-k", key, file], { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
