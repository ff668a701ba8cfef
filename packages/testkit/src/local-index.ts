import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pythonTools } from "./python-tools.js";
import { tempDir } from "./temp.js";

export interface LocalIndex {
  /** Upload endpoint for twine (`--repository-url`). */
  uploadUrl: string;
  /** The simple index root, e.g. http://127.0.0.1:PORT/simple/ (pip's --index-url). */
  simpleUrl: string;
  /** The server root, http://127.0.0.1:PORT */
  baseUrl: string;
  username: string;
  password: string;
  /** Where the server keeps the uploaded files. */
  packagesDir: string;
  stop(): Promise<void>;
}

export interface LocalIndexOptions {
  username?: string;
  password?: string;
  /** Seconds to wait for the server to answer. */
  startTimeoutSeconds?: number;
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
 * Starts a real pypiserver on 127.0.0.1 (uploads need the given credentials; no fallback to any public
 * index) in a temp directory, and waits until it answers. Stop it with `stop()`; a test that forgets is
 * still cleaned up at process exit.
 */
export async function startLocalIndex(options: LocalIndexOptions = {}): Promise<LocalIndex> {
  const tools = pythonTools();
  const username = options.username ?? "uploader";
  const password = options.password ?? "local-index-password";
  const root = tempDir("pw-index-");
  const packagesDir = join(root, "packages");
  mkdirSync(packagesDir);
  const htpasswd = join(root, "htpasswd");
  writeFileSync(htpasswd, "");
  execFileSync(tools.python, [
    "-c",
    "import sys; from passlib.apache import HtpasswdFile as H; h = H(sys.argv[1]); h.set_password(sys.argv[2], sys.argv[3]); h.save()",
    htpasswd,
    username,
    password,
  ]);
  const port = await freePort();
  const child = spawn(
    tools.bin("pypi-server"),
    ["run", "-i", "127.0.0.1", "-p", String(port), "-P", htpasswd, "-a", "update", "--disable-fallback", packagesDir],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, PATH: tools.path() } },
  );
  const log: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (c: string) => log.push(c));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${baseUrl}/simple/`, child, log, (options.startTimeoutSeconds ?? 30) * 1000);
  return {
    uploadUrl: `${baseUrl}/`,
    simpleUrl: `${baseUrl}/simple/`,
    baseUrl,
    username,
    password,
    packagesDir,
    stop: () => stopProcess(child).then(() => void process.removeListener("exit", kill)),
  };
}

async function waitUntilUp(url: string, child: ChildProcess, log: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pypi-server exited (${child.exitCode}):\n${log.join("")}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`pypi-server did not answer at ${url} within ${timeoutMs} ms:\n${log.join("")}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("close", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}
