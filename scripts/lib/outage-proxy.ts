// A tiny HTTP proxy between the browser and the web process, for tests that kill the web: while the
// web is down it answers 502, as a load balancer would, instead of the connection being refused
// (which a browser treats differently, e.g. an EventSource that gets a 502 gives up for good).
// Requests and responses stream through untouched (Server-Sent Events included), and a test can
// tap one request: see its body, hold it before the web gets it, or lose the web's answer.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TappedRequest {
  method: string;
  url: string;
  body: Buffer;
}

export interface Tap {
  match(request: { method: string; url: string }): boolean;
  /** Before the request goes to the web (its body read in full); the request waits for this. */
  beforeForward?(request: TappedRequest): Promise<void>;
  /** After the web answered, before the browser sees it: "drop" answers 502 as if the web had died first. */
  onResponse?(request: TappedRequest, status: number, body: Buffer): Promise<"forward" | "drop">;
}

export interface OutageProxy {
  url: string;
  port: number;
  /** Taps the next request `tap.match` accepts (once); returns a function that removes the tap. */
  tap(tap: Tap): () => void;
  /** How many requests got a 502 because the web was not there. */
  readonly badGateways: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"]);

function forwardHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  // The Host header is kept as the browser sent it: the web checks it against the request's origin.
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

export async function startOutageProxy(options: { port: number; upstreamPort: number }): Promise<OutageProxy> {
  const taps: Tap[] = [];
  let badGateways = 0;

  const badGateway = (res: http.ServerResponse, reason: string) => {
    badGateways += 1;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", connection: "close" });
    res.end(`502 Bad Gateway: Signalbox's web process is not answering (${reason}).\n`);
  };

  const server = http.createServer((req, res) => {
    const tapIndex = taps.findIndex((t) => t.match({ method: req.method ?? "GET", url: req.url ?? "/" }));
    const tap = tapIndex >= 0 ? taps.splice(tapIndex, 1)[0]! : null;
    const upstreamOptions = { host: "127.0.0.1", port: options.upstreamPort, method: req.method, path: req.url, headers: forwardHeaders(req.headers) };

    if (!tap) {
      const upstream = http.request(upstreamOptions, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        // The web died mid-response (an open event stream): the browser sees the connection drop.
        up.on("aborted", () => res.destroy());
        up.on("error", () => res.destroy());
      });
      upstream.on("error", (error: NodeJS.ErrnoException) => badGateway(res, error.code ?? error.message));
      res.on("close", () => upstream.destroy());
      req.pipe(upstream);
      return;
    }

    // A tapped request is read in full first, so the test sees its body (an idempotency key).
    void (async () => {
      const tapped: TappedRequest = { method: req.method ?? "GET", url: req.url ?? "/", body: await readAll(req) };
      await tap.beforeForward?.(tapped);
      const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer } | { error: string }>((resolve) => {
        const upstream = http.request({ ...upstreamOptions, headers: { ...upstreamOptions.headers, "content-length": String(tapped.body.length) } }, (up) => {
          readAll(up).then(
            (body) => resolve({ status: up.statusCode ?? 502, headers: up.headers, body }),
            (error: Error) => resolve({ error: error.message }),
          );
        });
        upstream.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
        upstream.end(tapped.body);
      });
      if ("error" in answer) return badGateway(res, answer.error);
      if (tap.onResponse && (await tap.onResponse(tapped, answer.status, answer.body)) === "drop") return badGateway(res, "the web died before its answer left");
      res.writeHead(answer.status, { ...forwardHeaders(answer.headers), "content-length": String(answer.body.length) });
      res.end(answer.body);
    })().catch((error: Error) => badGateway(res, error.message));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tap(tap) {
      taps.push(tap);
      return () => {
        const i = taps.indexOf(tap);
        if (i >= 0) taps.splice(i, 1);
      };
    },
    get badGateways() {
      return badGateways;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
