import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "./temp.js";

/** A fixed identity and clock so commits are reproducible and no global git config is read. */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Author",
    GIT_COMMITTER_EMAIL: "author@example.com",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    ...extra,
  };
}

/** Runs git with an argument array in `cwd` and returns its stdout. */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync("git", args, { cwd, env: gitEnv(env), encoding: "utf8", maxBuffer: 1 << 30 });
}

export type FileTree = Record<string, string>;

/** Writes an inline file tree under `dir`. */
export function writeTree(dir: string, files: FileTree): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** A temp git repository with `files` committed on branch main. */
export function gitRepo(files: FileTree = {}, message = "chore: initial commit"): string {
  const dir = tempDir("pw-git-");
  git(dir, ["init", "-q", "-b", "main"]);
  writeTree(dir, files);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--allow-empty", "-m", message]);
  return dir;
}

/** Commits everything in the work tree (or an empty commit) and returns the new HEAD sha. */
export function commit(dir: string, message: string, files: FileTree = {}): string {
  writeTree(dir, files);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--allow-empty", "-m", message]);
  return git(dir, ["rev-parse", "HEAD"]).trim();
}

export function tag(dir: string, name: string, ref = "HEAD"): void {
  git(dir, ["tag", name, ref]);
}
