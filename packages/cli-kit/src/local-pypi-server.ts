import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError } from "./errors.js";
import { freePort, stopChild, waitUntilServing } from "./server-process.js";

/** A package index to upload to and install from. */
export interface IndexEndpoint {
  /** The Simple API root (pip's --index-url). */
  simpleUrl: string;
  /** twine's --repository-url. */
  uploadUrl: string;
  username: string;
  password: string;
}

export interface LocalPypiServer extends IndexEndpoint {
  baseUrl: string;
  /** Where the server keeps uploaded files. */
  packagesDir: string;
  stop(): Promise<void>;
}

export interface LocalPypiServerOptions {
  /** The pypi-server script and a python with passlib (both from the tools venv). */
  pypiServer: string;
  python: string;
  username?: string;
  /** Default: 24 random bytes (never printed). */
  password?: string;
  /** Where to keep its files; default a new temp directory, removed by stop(). */
  dir?: string;
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const CODE = "LOCAL_INDEX_FAILED";

/**
 * Starts a real pypiserver on a free 127.0.0.1 port: uploads need the password, no fallback to any public
 * index. Waits until it answers; killed at process exit if stop() is never called. The rehearsal's throwaway
 * index and the tests' index are this one function.
 */
export async function startLocalPypiServer(options: LocalPypiServerOptions): Promise<LocalPypiServer> {
  const root = options.dir ?? mkdtempSync(join(tmpdir(), "pypi-workflows-index-"));
  const username = options.username ?? "uploader";
  const password = options.password ?? randomBytes(24).toString("hex");
  const packagesDir = join(root, "packages");
  mkdirSync(packagesDir, { recursive: true });
  const htpasswd = join(root, "htpasswd");
  writeFileSync(htpasswd, "");
  await writeHtpasswd(options.python, htpasswd, username, password);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = ["run", "-i", "127.0.0.1", "-p", String(port), "-P", htpasswd, "-a", "update", "--disable-fallback", packagesDir];
  const child = spawn(options.pypiServer, args, { stdio: ["ignore", "ignore", "pipe"], env: options.env ?? process.env });
  const log: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (c: string) => log.push(c));
  child.on("error", (error) => log.push(String(error)));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  await waitUntilServing(`${baseUrl}/simple/`, child, log, { name: "pypi-server", code: CODE, timeoutMs: options.startTimeoutMs ?? 30_000 });
  return {
    simpleUrl: `${baseUrl}/simple/`,
    uploadUrl: `${baseUrl}/`,
    baseUrl,
    username,
    password,
    packagesDir,
    stop: async () => {
      process.removeListener("exit", kill);
      await stopChild(child);
      if (!options.dir) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The password goes through stdin, never argv (visible in ps). */
function writeHtpasswd(python: string, file: string, username: string, password: string): Promise<void> {
  const script =
    "import sys; from passlib.apache import HtpasswdFile as H; h = H(sys.argv[1]); h.set_password(sys.argv[2], sys.stdin.read()); h.save()";
  return new Promise((resolve, reject) => {
    const child = execFile(python, ["-c", script, file, username], (error, _stdout, stderr) =>
      error
        ? reject(new EnvironmentError(CODE, `cannot write the index's password file: ${stderr || error.message}`, { hint: "check the tools venv (passlib)" }))
        : resolve(),
    );
    child.stdin?.end(password);
  });
}
