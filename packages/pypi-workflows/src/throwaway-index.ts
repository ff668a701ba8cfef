import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rehearsalError } from "./errors.js";

/** A package index the rehearsal uploads to and installs from. */
export interface IndexEndpoint {
  /** The Simple API root (pip's --index-url). */
  simpleUrl: string;
  /** twine's --repository-url. */
  uploadUrl: string;
  username: string;
  password: string;
}

export interface ThrowawayIndex extends IndexEndpoint {
  baseUrl: string;
  /** Where the server keeps uploaded files. */
  packagesDir: string;
  stop(): Promise<void>;
}

export interface ThrowawayIndexOptions {
  /** The venv's pypi-server script and python (with passlib). */
  pypiServer: string;
  python: string;
  username?: string;
  /** Default: 24 random bytes (never printed). */
  password?: string;
  /** Where to keep its files; default a new temp directory, removed by stop(). */
  dir?: string;
  startTimeoutMs?: number;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts pypiserver on a free 127.0.0.1 port, uploads guarded by a password, no fallback to any public index,
 * and waits until it answers. Killed at process exit if stop() is never called.
 */
export async function startThrowawayIndex(options: ThrowawayIndexOptions): Promise<ThrowawayIndex> {
  const root = options.dir ?? mkdtempSync(join(tmpdir(), "pypi-workflows-index-"));
  const username = options.username ?? "rehearsal";
  const password = options.password ?? randomBytes(24).toString("hex");
  const packagesDir = join(root, "packages");
  mkdirSync(packagesDir, { recursive: true });
  const htpasswd = join(root, "htpasswd");
  writeFileSync(htpasswd, "");
  // The password goes through stdin, never argv (visible in ps).
  const script = "import sys; from passlib.apache import HtpasswdFile as H; h = H(sys.argv[1]); h.set_password(sys.argv[2], sys.stdin.read()); h.save()";
  await writePassword(options.python, [ "-c", script, htpasswd, username], password);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(options.pypiServer, [
    "run", "-i", "127.0.0.1", "-p", String(port), "-P", htpasswd, "-a", "update", "--disable-fallback", packagesDir,
  ], { stdio: ["ignore", "ignore", "pipe"] });
  const log: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (c: string) => log.push(c));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  await waitUntilUp(`${baseUrl}/simple/`, child, log, options.startTimeoutMs ?? 30_000);
  return {
    simpleUrl: `${baseUrl}/simple/`, uploadUrl: `${baseUrl}/`, baseUrl, username, password, packagesDir,
    stop: async () => {
      process.removeListener("exit", kill);
      await stopChild(child);
      if (!options.dir) rmSync(root, { recursive: true, force: true });
    },
  };
}

function writePassword(python: string, argv: string[], password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, argv, (error, _stdout, stderr) =>
      error ? reject(rehearsalError("PW_INDEX", `cannot write the index's password file: ${stderr || error.message}`)) : resolve());
    child.stdin?.end(password);
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw rehearsalError("PW_INDEX", `pypi-server exited (${child.exitCode}):\n${log.join("")}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw rehearsalError("PW_INDEX", `pypi-server did not answer at ${url} within ${timeoutMs} ms:\n${log.join("")}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("close", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}
