import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";

/** What the proxy does to a request that a rule matches. */
export type Fault =
  /** An answer with this status; `reason` is its reason phrase (warehouse puts its upload errors there). */
  | { kind: "status"; status: number; body?: string; reason?: string }
  /** The connection is cut as soon as the first piece of the request body arrives: mid-upload. */
  | { kind: "reset" }
  | { kind: "hang" }
  | { kind: "lose-response" }
  | { kind: "delay"; ms: number }
  /** Passed on with these request headers, and the response's text replaced by `body(text)` (e.g. a simple
   * page without its hashes). */
  | { kind: "rewrite"; headers?: Record<string, string>; body: (text: string) => string };

export interface FaultRule {
  /** Which requests: method and a test on the path. */
  method?: string;
  path?: RegExp;
  /** Skip this many matching requests before the fault applies (e.g. 1 = from the second on). */
  after?: number;
  /** Apply to this many matching requests, then pass them through (default: forever). */
  times?: number;
  /** Apply only once a request with this method has arrived, e.g. "POST": a page that is stale after the
   * upload. Counted by requests, never by the clock, so a slow machine sees the same faults as a fast one. */
  afterMethod?: string;
  fault: Fault;
}

export interface RecordedRequest {
  method: string;
  path: string;
  fault: Fault["kind"] | "none";
  /** Response status the client got (undefined when reset, hung or lost). */
  status?: number;
  /** For a reset: how much of the body had arrived when the connection was cut, and its announced length. */
  bodyBytes?: number;
  contentLength?: number;
}

export interface FaultProxy {
  url: string;
  requests: RecordedRequest[];
  rules: FaultRule[];
  stop(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of a real server, injecting faults by rule: an error status, a reset
 * connection, a hang, a response lost after the upstream handled the request, a delay, a rewritten response.
 * It records every request. For tests only.
 */
export async function startFaultProxy(upstream: string, rules: FaultRule[] = []): Promise<FaultProxy> {
  const target = new URL(upstream);
  const requests: RecordedRequest[] = [];
  const seen = new Map<FaultRule, number>();
  const methodsSeen = new Set<string>();
  const sockets = new Set<import("node:net").Socket>();

  const server = createServer(async (req, res) => {
    const path = req.url ?? "/";
    const rule = rules.find((r) => matches(r, req.method ?? "GET", path, seen, methodsSeen));
    methodsSeen.add(req.method ?? "GET");
    const record: RecordedRequest = { method: req.method ?? "GET", path, fault: rule?.fault.kind ?? "none" };
    requests.push(record);
    const fault = rule?.fault;
    if (fault?.kind === "reset") return cutMidBody(req, record);
    const body = await readBody(req);
    if (fault?.kind === "status") return send(res, record, fault.status, fault.body ?? `injected ${fault.status}`, fault.reason);
    if (fault?.kind === "hang") return;
    if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.ms));
    const upstreamRes = await forward(target, req, body, fault?.kind === "rewrite" ? fault.headers : undefined).catch(() => undefined);
    if (!upstreamRes) return send(res, record, 502, "upstream unreachable");
    if (fault?.kind === "lose-response") return void req.socket.destroy();
    if (fault?.kind === "rewrite") {
      upstreamRes.body = Buffer.from(fault.body(upstreamRes.body.toString("utf8")));
      upstreamRes.headers["content-length"] = String(upstreamRes.body.length);
    }
    record.status = upstreamRes.status;
    res.writeHead(upstreamRes.status, upstreamRes.headers);
    res.end(upstreamRes.body);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rules,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function matches(rule: FaultRule, method: string, path: string, seen: Map<FaultRule, number>, methodsSeen: Set<string>): boolean {
  if (rule.method && rule.method !== method) return false;
  if (rule.path && !rule.path.test(path)) return false;
  if (rule.afterMethod !== undefined && !methodsSeen.has(rule.afterMethod)) return false;
  const count = (seen.get(rule) ?? 0) + 1;
  seen.set(rule, count);
  if (count <= (rule.after ?? 0)) return false;
  return rule.times === undefined || count <= (rule.after ?? 0) + rule.times;
}

function send(res: ServerResponse, record: RecordedRequest, status: number, body: string, reason?: string): void {
  record.status = status;
  if (reason === undefined) res.writeHead(status, { "content-type": "text/plain" });
  else res.writeHead(status, reason, { "content-type": "text/plain" });
  res.end(body);
}

/** Cuts the connection once the first piece of the body has arrived (or at its end, when it has none). */
function cutMidBody(req: IncomingMessage, record: RecordedRequest): void {
  const length = Number(req.headers["content-length"]);
  if (Number.isFinite(length)) record.contentLength = length;
  record.bodyBytes = 0;
  req.once("data", (chunk: Buffer) => {
    record.bodyBytes = chunk.length;
    req.socket.destroy();
  });
  req.once("end", () => req.socket.destroy());
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer, extraHeaders: Record<string, string> = {}): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, ...extraHeaders, host: target.host };
    const out = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const responseHeaders = { ...res.headers } as Record<string, string | string[]>;
          delete responseHeaders["transfer-encoding"];
          // Keep redirects inside the proxy so the client keeps going through it.
          const location = res.headers.location;
          if (location) responseHeaders.location = location.replace(target.origin, `http://${req.headers.host}`);
          resolve({ status: res.statusCode ?? 502, headers: responseHeaders, body: Buffer.concat(chunks) });
        });
        res.on("error", reject);
      },
    );
    out.on("error", reject);
    out.end(body);
  });
}
