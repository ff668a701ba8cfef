import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { rehearsalError } from "./errors.js";

const run = promisify(execFile);

/** Runs git; a failure is PW_GIT_FAILED with git's own words (callers that expect one catch it first). */
async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await run("git", args, { cwd, env, maxBuffer: 1 << 26 })).stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw rehearsalError("PW_GIT_FAILED", `git ${args.join(" ")} failed in ${cwd}: ${stderr || (error as Error).message}`, { stderr: stderr ?? "" });
  }
}

/** A --tag git can create, and that cannot be read as an option of `git tag`. */
async function checkTagName(tag: string, env: NodeJS.ProcessEnv): Promise<void> {
  const refused = () => rehearsalError("PW_BAD_TAG", `--tag ${JSON.stringify(tag)} is not a name git accepts for a tag`);
  if (tag.startsWith("-")) throw refused();
  await git(tmpdir(), ["check-ref-format", `refs/tags/${tag}`], env).catch(() => {
    throw refused();
  });
}

/** The branch the rehearsed push goes to (the default branch of the event the workflows see). */
export const REHEARSAL_BRANCH = "main";

export interface PreparedClone {
  /** The temporary clone (a git repository) the workflows check out. */
  repo: string;
  /** The project's directory inside the repository ("." or e.g. "examples/hatch-static"). */
  workingDirectory: string;
  /** The commit rehearsed. */
  sha: string;
  /** A warning for the report when the user's work tree has uncommitted changes in the project. */
  warnings: string[];
  /** The tag that was created in the clone (it did not exist), if any. */
  createdTag?: string;
}

/**
 * Clones the repository holding projectDir into a temp directory (the user's repository is only read), and
 * for a tag rehearsal creates the tag at HEAD in the clone when it is missing.
 */
export async function prepareClone(projectDir: string, tag: string | undefined, env: NodeJS.ProcessEnv): Promise<PreparedClone> {
  const dir = resolve(projectDir);
  if (tag !== undefined) await checkTagName(tag, env);
  if (!existsSync(join(dir, "pyproject.toml"))) {
    const legacy = ["setup.py", "setup.cfg"].filter((name) => existsSync(join(dir, name)));
    throw rehearsalError("PW_NO_PROJECT", `${dir} has ${legacy.length ? `${legacy.join(" and ")} but ` : ""}no pyproject.toml`);
  }
  const top = await git(dir, ["rev-parse", "--show-toplevel"], env).catch(() => {
    throw rehearsalError("PW_NOT_A_REPOSITORY", `${dir} is not inside a git repository`);
  });
  const sha = await git(top, ["rev-parse", "--verify", "HEAD"], env).catch(() => {
    throw rehearsalError("PW_NO_COMMIT", `${top} has no commit yet`);
  });
  const workingDirectory = relative(top, dir) || ".";
  const warnings: string[] = [];
  const dirty = await git(top, ["status", "--porcelain", "--untracked-files=normal", "--", workingDirectory], env);
  if (dirty) {
    const count = dirty.split("\n").length;
    warnings.push(`${count} uncommitted change(s) in ${workingDirectory}: only committed work (HEAD ${sha.slice(0, 12)}) is rehearsed`);
  }
  const repo = join(mkdtempSync(join(tmpdir(), "pypi-workflows-clone-")), basename(top));
  try {
    // No work tree: actions/checkout (the runner's) fetches from this clone, nothing reads its files. Objects are
    // hard-linked (git never changes an object file), so even a large repository clones in a moment.
    await git(tmpdir(), ["clone", "--quiet", "--no-checkout", top, repo], env);
    // The rehearsal is a push to "main" at the user's HEAD, whatever branch (or detached HEAD) the user is on.
    await git(repo, ["update-ref", `refs/heads/${REHEARSAL_BRANCH}`, sha], env);
    await git(repo, ["symbolic-ref", "HEAD", `refs/heads/${REHEARSAL_BRANCH}`], env);
    const createdTag = tag ? await tagInClone(repo, tag, sha, env) : undefined;
    return { repo, workingDirectory, sha, warnings, ...(createdTag ? { createdTag } : {}) };
  } catch (error) {
    // Nothing has registered the clone for removal yet: a failed preparation leaves no directory behind.
    rmSync(dirname(repo), { recursive: true, force: true });
    throw error;
  }
}

/** Creates the tag at `sha` in the clone unless it exists there; returns it when created. */
async function tagInClone(repo: string, tag: string, sha: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (await git(repo, ["tag", "--list", tag], env)) return undefined;
  await git(repo, ["-c", "user.name=pypi-workflows rehearsal", "-c", "user.email=rehearsal@localhost", "tag", tag, sha], env).catch((error: { data?: { stderr?: string } }) => {
    // e.g. a tag v1.0.0/rc already in the repository leaves no room for v1.0.0.
    throw rehearsalError("PW_BAD_TAG", `cannot create tag ${tag} in the rehearsal's clone: ${error.data?.stderr}`);
  });
  return tag;
}
