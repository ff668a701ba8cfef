import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import type { SubstituteContext, SubstituteResult } from "./substitute-types.js";

/** actions/setup-python: the host's interpreter (the tools venv's) first on PATH, and the action's outputs. */
export async function setupPython(ctx: SubstituteContext): Promise<SubstituteResult> {
  const python = ctx.setup.python;
  if (!python) throw new Error("setup-python: the runner was given no python (RunSetup.python)");
  const version = execFileSync(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
    encoding: "utf8",
  }).trim();
  const wanted = ctx.inputs["python-version"] ?? "";
  if (wanted && !`${version}.`.startsWith(`${wanted.replace(/\.x$/, "")}.`)) {
    ctx.log(`warning: python-version ${wanted} asked for; the local runner uses the host's Python ${version}`);
  }
  if (ctx.inputs.cache) ctx.log(`note: cache: ${ctx.inputs.cache} is not done by the local runner`);
  const bin = dirname(python);
  ctx.log(`using ${python} (Python ${version})`);
  return {
    outputs: { "python-version": version, "python-path": python, "cache-hit": "false" },
    env: { pythonLocation: dirname(bin), Python_ROOT_DIR: dirname(bin), Python3_ROOT_DIR: dirname(bin) },
    path: [bin],
  };
}

/** actions/setup-node: the host's node (the one running the runner) first on PATH. */
export async function setupNode(ctx: SubstituteContext): Promise<SubstituteResult> {
  const node = ctx.setup.node;
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  const wanted = ctx.inputs["node-version"] ?? "";
  if (wanted && !`${version.slice(1)}.`.startsWith(`${wanted.replace(/^v/, "").replace(/\.x$/, "")}.`)) {
    ctx.log(`warning: node-version ${wanted} asked for; the local runner uses the host's Node ${version}`);
  }
  ctx.log(`using ${node} (Node ${version})`);
  return { outputs: { "node-version": version, "cache-hit": "false" }, path: [dirname(node)] };
}
