import { cpSync, existsSync, globSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { SubstituteContext, SubstituteResult } from "./substitute-types.js";

const WILDCARD = /[*?[]/;

/** The directory a path line searches from: itself (a directory), its parent (a file) or the part before a wildcard. */
function searchRoot(path: string): string {
  if (!WILDCARD.test(path)) return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  const parts = path.split(sep);
  const first = parts.findIndex((p) => WILDCARD.test(p));
  return parts.slice(0, first).join(sep) || sep;
}

function commonAncestor(paths: string[]): string {
  const split = paths.map((p) => p.split(sep));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++;
  return first.slice(0, n).join(sep) || sep;
}

function filesUnder(path: string, hidden: boolean): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => hidden || !name.startsWith("."))
    .flatMap((name) => filesUnder(join(path, name), hidden));
}

/**
 * actions/upload-artifact: copies the matched files into the run's artifacts directory under `name`, relative
 * to the least common ancestor of the search paths (the action's layout). A name used twice is an error.
 */
export async function uploadArtifact(ctx: SubstituteContext): Promise<SubstituteResult> {
  const name = ctx.inputs.name || "artifact";
  const lines = (ctx.inputs.path ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  if (!lines.length) throw new Error("upload-artifact: path is required");
  if (lines.some((l) => l.startsWith("!"))) throw new Error("upload-artifact: ! exclusions are not supported locally");
  const hidden = ctx.inputs["include-hidden-files"] === "true";
  const paths = lines.map((l) => ctx.resolvePath(l));
  const matched = paths.flatMap((p) => (WILDCARD.test(p) ? globSync(p) : existsSync(p) ? [p] : []));
  const files = [...new Set(matched.flatMap((p) => filesUnder(p, hidden)))];
  if (!files.length) {
    const mode = ctx.inputs["if-no-files-found"] || "warn";
    const message = `no files were found with the provided path: ${lines.join(", ")}. No artifacts will be uploaded.`;
    if (mode === "error") throw new Error(message);
    if (mode === "warn") ctx.log(`warning: ${message}`);
    return {};
  }
  const target = join(ctx.artifactsDir, name);
  if (existsSync(target)) {
    if (ctx.inputs.overwrite !== "true") throw new Error(`an artifact named "${name}" already exists in this run`);
    ctx.log(`overwriting artifact "${name}"`);
  }
  const root = commonAncestor(paths.map(searchRoot));
  for (const file of files) {
    const destination = join(target, relative(root, file));
    mkdirSync(dirname(destination), { recursive: true });
    cpSync(file, destination);
  }
  ctx.log(`uploaded ${files.length} file(s) as artifact "${name}"`);
  return { outputs: { "artifact-id": name, "artifact-url": `file://${target}` } };
}

/** actions/download-artifact: one artifact into `path`, or (no name) every artifact into path/<name>. */
export async function downloadArtifact(ctx: SubstituteContext): Promise<SubstituteResult> {
  for (const input of ["run-id", "github-token", "repository"]) {
    if (ctx.inputs[input]) throw new Error(`download-artifact: ${input} (another run's artifacts) is not supported locally`);
  }
  const destination = ctx.resolvePath(ctx.inputs.path || ".");
  const available = existsSync(ctx.artifactsDir) ? readdirSync(ctx.artifactsDir) : [];
  const name = ctx.inputs.name;
  const pattern = ctx.inputs.pattern;
  const names = name ? [name] : available.filter((n) => !pattern || globMatch(pattern, n));
  for (const n of names) {
    if (!available.includes(n)) throw new Error(`artifact "${n}" not found (this run has: ${available.join(", ") || "none"})`);
    const into = name || ctx.inputs["merge-multiple"] === "true" ? destination : join(destination, n);
    mkdirSync(into, { recursive: true });
    cpSync(join(ctx.artifactsDir, n), into, { recursive: true });
    ctx.log(`downloaded artifact "${n}" to ${into}`);
  }
  return { outputs: { "download-path": destination } };
}

function globMatch(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(name);
}
