import { createHash } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake API received. */
export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

interface Asset {
  id: number;
  name: string;
  size: number;
  state: string;
  digest: string | null;
  content_type: string;
  bytes: Buffer;
}

interface Release {
  id: number;
  tag_name: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  assets: Asset[];
}

/**
 * A local stand-in for GitHub's REST API, serving the documented shapes of the release endpoints (get by tag,
 * list, create, update, asset download, upload through `upload_url`) of one repository (default acme/demo). It
 * records every request. Used by notes-gen's release tests and by the runs of release.yml.
 */
export class FakeGitHub {
  readonly requests: Recorded[] = [];
  readonly releases: Release[] = [];
  /** When set, every request gets this status with the Authorization header echoed back in the body. */
  failWith: number | null = null;
  /** Whether asset objects carry `digest` (GitHub.com does; older GHES does not). */
  digests = true;
  private nextId = 100;
  private server = createServer((req, res) => void this.handle(req, res));
  private readonly repo: string;
  url = "";

  constructor(readonly repository = "acme/demo") {
    // The owner/name as it appears in the request paths, with regex metacharacters (the dots) escaped.
    this.repo = repository.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Seeds a release as if a previous run had made it. */
  addRelease(tag: string, assets: Record<string, Buffer> = {}, draft = false): Release {
    const release: Release = { id: this.nextId++, tag_name: tag, name: tag, body: "", draft, prerelease: false, assets: [] };
    for (const [name, bytes] of Object.entries(assets)) release.assets.push(this.asset(name, bytes));
    this.releases.push(release);
    return release;
  }

  /** The requests without their headers: what a test asserts. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  private asset(name: string, bytes: Buffer): Asset {
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    return { id: this.nextId++, name, size: bytes.length, state: "uploaded", digest, content_type: "application/octet-stream", bytes };
  }

  private json(release: Release) {
    const base = `${this.url}/repos/${this.repository}/releases/${release.id}`;
    return {
      url: base,
      html_url: `https://github.com/${this.repository}/releases/tag/${release.tag_name}`,
      assets_url: `${base}/assets`,
      upload_url: `${this.url}/uploads/repos/${this.repository}/releases/${release.id}/assets{?name,label}`,
      id: release.id,
      tag_name: release.tag_name,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: release.prerelease,
      assets: release.assets.map(({ bytes: _bytes, digest, ...a }) => ({ ...a, ...(this.digests ? { digest } : { digest: null }) })),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = req.url ?? "";
    const isJson = (req.headers["content-type"] ?? "").includes("json");
    const body = raw.length === 0 ? null : isJson ? JSON.parse(raw.toString("utf8")) : { bytes: raw.length };
    this.requests.push({ method: req.method ?? "", path, body, authorization: req.headers.authorization });
    const send = (status: number, data: unknown) => {
      const payload = Buffer.isBuffer(data) ? data : Buffer.from(JSON.stringify(data));
      res.writeHead(status, { "content-type": Buffer.isBuffer(data) ? "application/octet-stream" : "application/json" });
      res.end(payload);
    };
    if (this.failWith) {
      return send(this.failWith, { message: `Bad credentials: ${req.headers.authorization}`, documentation_url: "https://docs.github.com/rest" });
    }
    // GitHub Enterprise Server serves the same API under /api/v3.
    const [status, data] = this.route(req.method ?? "", path.replace(/^\/api\/v3(?=\/)/, ""), body, raw);
    send(status, data);
  }

  private route(method: string, path: string, body: Record<string, unknown> | null, raw: Buffer): [number, unknown] {
    const notFound: [number, unknown] = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest/releases/releases" }];
    const match = (verb: string, pattern: RegExp) => (method === verb ? pattern.exec(path) : null);
    const byId = (id: string | undefined) => this.releases.find((r) => r.id === Number(id));
    const getByTag = match("GET", new RegExp(`^/repos/${this.repo}/releases/tags/(.+)$`));
    if (getByTag) {
      const release = this.releases.find((r) => r.tag_name === decodeURIComponent(getByTag[1] ?? "") && !r.draft);
      return release ? [200, this.json(release)] : notFound;
    }
    if (match("GET", new RegExp(`^/repos/${this.repo}/releases(\\?.*)?$`))) return [200, this.releases.map((r) => this.json(r))];
    if (match("POST", new RegExp(`^/repos/${this.repo}/releases$`)) && body) {
      const release = this.addRelease(String(body.tag_name), {}, body.draft === true);
      Object.assign(release, { name: body.name, body: body.body, prerelease: body.prerelease === true });
      return [201, this.json(release)];
    }
    const patch = match("PATCH", new RegExp(`^/repos/${this.repo}/releases/(\\d+)$`));
    if (patch && body) {
      const release = byId(patch[1]);
      if (!release) return notFound;
      Object.assign(release, Object.fromEntries(Object.entries(body).filter(([k]) => ["name", "body", "draft", "prerelease"].includes(k))));
      return [200, this.json(release)];
    }
    const download = match("GET", new RegExp(`^/repos/${this.repo}/releases/assets/(\\d+)$`));
    if (download) {
      const asset = this.releases.flatMap((r) => r.assets).find((a) => a.id === Number(download[1]));
      return asset ? [200, asset.bytes] : notFound;
    }
    const upload = match("POST", new RegExp(`^/uploads/repos/${this.repo}/releases/(\\d+)/assets\\?name=([^&]+)$`));
    if (upload) {
      const release = byId(upload[1]);
      if (!release) return notFound;
      const name = decodeURIComponent(upload[2] ?? "");
      if (release.assets.some((a) => a.name === name)) return [422, { message: "Validation Failed", errors: [{ code: "already_exists" }] }];
      const asset = this.asset(name, raw);
      release.assets.push(asset);
      const { bytes: _b, ...shape } = asset;
      return [201, shape];
    }
    return notFound;
  }
}
