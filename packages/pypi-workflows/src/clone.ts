import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { rehearsalError } from "./errors.js";

const run = promisify(execFile);

async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return (await run("git", args, { cwd, env, maxBuffer: 1 << 26 })).stdout.trim();
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
  if (!existsSync(join(dir, "pyproject.toml"))) throw rehearsalError("PW_NO_PROJECT", `${dir} has no pyproject.toml`);
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
  // No work tree: actions/checkout (the runner's) fetches from this clone, nothing reads its files. Objects are
  // hard-linked (git never changes an object file), so even a large repository clones in a moment.
  await git(tmpdir(), ["clone", "--quiet", "--no-checkout", top, repo], env);
  // The rehearsal is a push to "main" at the user's HEAD, whatever branch (or detached HEAD) the user is on.
  await git(repo, ["update-ref", `refs/heads/${REHEARSAL_BRANCH}`, sha], env);
  await git(repo, ["symbolic-ref", "HEAD", `refs/heads/${REHEARSAL_BRANCH}`], env);
  let createdTag: string | undefined;
  if (tag) {
    const exists = await git(repo, ["tag", "--list", tag], env);
    if (!exists) {
      await git(repo, ["-c", "user.name=pypi-workflows rehearsal", "-c", "user.email=rehearsal@localhost", "tag", tag, sha], env)
        .catch((e: { stderr?: string }) => {
          throw rehearsalError("PW_REHEARSAL_FAILED", `cannot create tag ${tag}: ${e.stderr?.trim()}`);
        });
      createdTag = tag;
    }
  }
  return { repo, workingDirectory, sha, warnings, ...(createdTag ? { createdTag } : {}) };
}
