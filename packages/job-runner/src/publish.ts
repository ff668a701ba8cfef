import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { TARGETS } from "@pypi-workflows/index-client";
import { execProgram } from "./exec.js";
import type { SubstituteContext, SubstituteResult } from "./substitute-types.js";

/** What pypa/gh-action-pypi-publish uploads to when the workflow names no repository-url. */
const DEFAULT_UPLOAD_URL = TARGETS.pypi.uploadUrl;

function isLoopback(url: string): boolean {
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The index to upload to: the workflow's when it is on this machine, else the run's publish override. */
function chooseIndex(ctx: SubstituteContext): { url: string; user: string; password: string } {
  const named = ctx.inputs["repository-url"] || DEFAULT_UPLOAD_URL;
  const override = ctx.setup.publish;
  const url = isLoopback(named) ? named : override?.uploadUrl;
  if (!url) {
    throw new Error(`refusing to upload to ${named}: the local runner uploads only to an index on this machine (pass publish.uploadUrl)`);
  }
  if (url !== named) ctx.log(`uploading to ${url} instead of ${named} (the run's publish index)`);
  const password = ctx.inputs.password || override?.password;
  if (!password) throw new Error("no password: trusted publishing (OIDC) cannot run locally; pass publish.password to the runner");
  ctx.mask(password);
  return { url, user: ctx.inputs.user || override?.username || "__token__", password };
}

/**
 * pypa/gh-action-pypi-publish: `twine check` (verify-metadata) then `twine upload` of packages-dir to a local
 * index, credentials through TWINE_USERNAME/TWINE_PASSWORD (never argv), `--skip-existing` when asked.
 */
export async function publishToIndex(ctx: SubstituteContext): Promise<SubstituteResult> {
  const { url, user, password } = chooseIndex(ctx);
  const dir = ctx.resolvePath(ctx.inputs["packages-dir"] || "dist");
  const files = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.endsWith(".whl") || f.endsWith(".tar.gz")).sort().map((f) => join(dir, f))
    : [];
  if (!files.length) throw new Error(`no distributions (*.whl, *.tar.gz) in ${dir}`);
  const twine = ctx.setup.twine ?? (ctx.setup.python ? join(dirname(ctx.setup.python), "twine") : "twine");
  const env = { ...ctx.env, TWINE_USERNAME: user, TWINE_PASSWORD: password, TWINE_NON_INTERACTIVE: "1" };
  const options = { cwd: ctx.workspace, env, log: ctx.log };
  if (ctx.inputs["verify-metadata"] !== "false") await execProgram(twine, ["--no-color", "check", ...files], options);
  if (ctx.inputs.attestations !== "false") ctx.log("note: attestations need trusted publishing; none are made locally");
  const verbose = ctx.inputs.verbose === "true" ? ["--verbose"] : [];
  const upload = (paths: string[], extra: string[] = [], log = ctx.log) =>
    execProgram(twine, ["--no-color", "upload", "--repository-url", url, "--disable-progress-bar", ...verbose, ...extra, ...paths], { ...options, log });
  if (ctx.inputs["skip-existing"] !== "true") {
    await upload(files);
    return {};
  }
  for (const file of files) await uploadUnlessExisting(file, (log) => upload([file], ["--verbose"], log), ctx.log);
  return {};
}

/**
 * skip-existing: twine (7+) allows --skip-existing only for PyPI's own URLs, so the substitute applies twine's
 * rule itself: upload one file at a time and skip a file the index refuses as already existing (409, or 400
 * saying "already exist"). Like twine, it cannot tell identical bytes from different ones.
 */
async function uploadUnlessExisting(file: string, upload: (log: (line: string) => void) => Promise<void>, log: (line: string) => void) {
  const lines: string[] = [];
  try {
    await upload((line) => lines.push(line));
    for (const line of lines) log(line);
  } catch (error) {
    const text = lines.join("\n");
    if (/already exist/i.test(text) || /\b409\b/.test(text)) {
      log(`Skipping ${basename(file)} because it appears to already exist`);
      return;
    }
    for (const line of lines) log(line);
    throw error;
  }
}
