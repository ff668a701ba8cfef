import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";

export interface IndexProxyOptions {
  /** Answer 404 to the first this many requests for pages matching `hidePath`: a stale index / CDN. Counted,
   * not timed, so a slow machine sees the same lag as a fast one. */
  hideFirst?: number;
  hidePath?: RegExp;
  /** Remove `#sha256=...` from links, as an index that publishes no hashes. */
  stripHashes?: boolean;
}

export interface IndexProxy {
  /** The proxied simple index, e.g. http://127.0.0.1:PORT/simple/ */
  simpleUrl: string;
  /** Every request: method, path and the status it got. */
  requests: { path: string; status: number }[];
  stop(): Promise<void>;
}

/** An HTTP proxy in front of a real local index, for lag and hash tests; it records every request. */
export async function startIndexProxy(upstreamBase: string, options: IndexProxyOptions = {}): Promise<IndexProxy> {
  const upstream = new URL(upstreamBase);
  const requests: IndexProxy["requests"] = [];
  const sockets = new Set<Socket>();
  let hiddenSoFar = 0;
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const hidden = hiddenSoFar < (options.hideFirst ?? 0) && (options.hidePath?.test(path) ?? true);
    if (hidden) {
      hiddenSoFar++;
      requests.push({ path, status: 404 });
      res.writeHead(404, { "content-type": "text/plain" }).end("not found (yet)");
      return;
    }
    // Ask for HTML only: pypiserver speaks PEP 503, and the hash stripping edits HTML.
    const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host, accept: "text/html", "accept-encoding": "identity" };
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on("data", (c: Buffer) => chunks.push(c));
      up.on("end", () => {
        let body = Buffer.concat(chunks);
        if (options.stripHashes && /html/.test(String(up.headers["content-type"]))) {
          body = Buffer.from(body.toString("utf8").replace(/#sha256=[0-9a-f]{64}/g, ""));
        }
        const responseHeaders = { ...up.headers, "content-length": String(body.length) };
        delete responseHeaders["transfer-encoding"];
        requests.push({ path, status: up.statusCode ?? 502 });
        res.writeHead(up.statusCode ?? 502, responseHeaders).end(body);
      });
    });
    out.on("error", () => res.writeHead(502).end("upstream unreachable"));
    req.pipe(out);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    simpleUrl: `http://127.0.0.1:${port}/simple/`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
