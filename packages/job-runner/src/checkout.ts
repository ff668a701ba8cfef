import { cpSync, existsSync, mkdirSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { execProgram } from "./exec.js";
import type { SubstituteContext, SubstituteResult } from "./substitute-types.js";

/**
 * actions/checkout: the run's source into the workspace (or `path:` under it). A git repository is fetched
 * over file:// the way the action fetches (only the event's commit unless fetch-depth: 0, which brings
 * every branch and tag); a plain directory is copied.
 */
export async function checkoutSource(ctx: SubstituteContext): Promise<SubstituteResult> {
  const repository = ctx.inputs.repository || ctx.repository;
  const source = ctx.setup.repositories?.[repository] ?? (repository === ctx.repository ? ctx.setup.source : undefined);
  if (!source) throw new Error(`no local source for repository "${repository}": pass source (or repositories) to the runner`);
  if (ctx.inputs.submodules && ctx.inputs.submodules !== "false") throw new Error("submodules: the local checkout does not fetch submodules");
  if (ctx.inputs.lfs === "true") throw new Error("lfs: true is not supported by the local checkout");
  const target = ctx.resolvePath(ctx.inputs.path || ".");
  const inside = relative(ctx.workspace, target);
  if (inside.startsWith("..") || isAbsolute(inside)) throw new Error(`path ${ctx.inputs.path} is outside the workspace (actions/checkout refuses it too)`);
  mkdirSync(target, { recursive: true });
  if (!existsSync(join(source, ".git"))) {
    cpSync(source, target, { recursive: true });
    ctx.log(`copied ${source} to ${target} (not a git repository)`);
    return {};
  }
  const depth = Number(ctx.inputs["fetch-depth"] || "1");
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`fetch-depth must be a whole number, got "${ctx.inputs["fetch-depth"]}"`);
  const git = (...args: string[]) => execProgram("git", args, { cwd: target, env: ctx.env, log: ctx.log });
  const ref = ctx.inputs.ref || ctx.ref;
  const branch = ref.startsWith("refs/heads/") ? ref.slice(11) : undefined;
  const wanted = ctx.inputs.ref ? ref : ctx.sha;
  await git("init", "-q", "-b", branch ?? "main");
  await git("remote", "add", "origin", `file://${source}`);
  if (depth === 0) {
    await git("fetch", "-q", "--prune", "--tags", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*");
  } else {
    await git("fetch", "-q", "--no-tags", `--depth=${depth}`, "origin", `+${wanted}:refs/remotes/origin/checkout`);
  }
  const commit = depth === 0 ? wanted : "refs/remotes/origin/checkout";
  if (branch) await git("checkout", "-q", "--force", "-B", branch, commit);
  else await git("checkout", "-q", "--force", "--detach", commit);
  ctx.log(`checked out ${repository} at ${wanted} into ${target} (fetch-depth ${depth})`);
  return { outputs: { ref, commit: ctx.sha } };
}
