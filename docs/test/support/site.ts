import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";

export const DOCS_DIR = resolve(import.meta.dirname, "..", "..");
export const ROOT = resolve(DOCS_DIR, "..");
/** The site's base path (docs/.vitepress/config.mts): the troubleshooting links printed by cli-kit depend on it. */
export const BASE = "/pypi-workflows/";
const BUILT_DIR = join(DOCS_DIR, ".vitepress", "dist");

function newestMtime(path: string, skip: (name: string) => boolean): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (!skip(name)) newest = Math.max(newest, newestMtime(join(path, name), skip));
  }
  return newest;
}

/** Everything the built site is made from: the docs' own files plus what its pages include. */
function sourcesMtime(): number {
  const skip = (name: string) => ["node_modules", "dist", "cache", "test-artifacts", "test"].includes(name);
  const generated = readdirSync(join(ROOT, "packages")).map((p) => join(ROOT, "packages", p, "generated"));
  return Math.max(
    newestMtime(DOCS_DIR, skip),
    newestMtime(join(ROOT, "examples", "workflows"), () => false),
    ...generated.map((dir) => newestMtime(dir, () => false)),
  );
}

/**
 * The built site's directory: docs/.vitepress/dist when `pnpm build` made it after the last change to any
 * source (turbo builds before testing), else a fresh build into a temp directory (never a stale site).
 */
export function builtSite(): string {
  const marker = join(BUILT_DIR, "hashmap.json");
  if (existsSync(marker) && statSync(marker).mtimeMs > sourcesMtime()) return BUILT_DIR;
  const outDir = mkdtempSync(join(tmpdir(), "docs-site-"));
  const vitepress = join(DOCS_DIR, "node_modules", ".bin", "vitepress");
  const run = spawnSync(vitepress, ["build", ".", "--outDir", outDir], { cwd: DOCS_DIR, encoding: "utf8", timeout: 240_000 });
  if (run.status !== 0) throw new Error(`vitepress build failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return outDir;
}

/** The pages of a built site as clean URL paths under the base ("", "guides/versions", "reference/"). */
export function builtPages(dir: string, sub = ""): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) return e.name === "assets" ? [] : builtPages(dir, rel);
    if (!e.name.endsWith(".html") || rel === "404.html") return [];
    return [rel.replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, "")];
  });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

export interface StaticSite {
  origin: string;
  /** Paths answered with 404, in order. */
  missing: string[];
  close(): Promise<void>;
}

/** Finds the file for a URL path under the base, as GitHub Pages does with clean URLs (x -> x.html). */
function resolveFile(dir: string, urlPath: string): string | undefined {
  if (!urlPath.startsWith(BASE)) return undefined;
  const rel = normalize(decodeURIComponent(urlPath.slice(BASE.length)));
  if (rel.startsWith("..")) return undefined;
  const full = join(dir, rel);
  if (!full.startsWith(dir + sep) && full !== dir) return undefined;
  const candidates = [full, `${full}.html`, join(full, "index.html")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Serves a built site on 127.0.0.1 at BASE. */
export async function serveSite(dir: string): Promise<StaticSite> {
  const missing: string[] = [];
  const server: Server = createServer((req, res) => {
    const urlPath = new URL(req.url ?? "/", "http://x").pathname;
    const file = resolveFile(dir, urlPath);
    if (!file) {
      missing.push(urlPath);
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      res.end(existsSync(join(dir, "404.html")) ? readFileSync(join(dir, "404.html")) : "not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no server address");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    missing,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
