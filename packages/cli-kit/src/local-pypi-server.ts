import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EnvironmentError } from "./errors.js";
import { runProcess } from "./process.js";
import { freePort, superviseServer } from "./server-process.js";

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
  const removeRoot = () => {
    if (!options.dir) rmSync(root, { recursive: true, force: true });
  };
  const server = await superviseServer(child, `${baseUrl}/simple/`, {
    name: "pypi-server",
    code: CODE,
    hint: "read pypi-server's output above; check the tools venv (pypiserver) and that 127.0.0.1 can be listened on",
    timeoutMs: options.startTimeoutMs ?? 30_000,
  }).catch(
    (error: unknown) => {
      removeRoot();
      throw error;
    },
  );
  return {
    simpleUrl: `${baseUrl}/simple/`,
    uploadUrl: `${baseUrl}/`,
    baseUrl,
    username,
    password,
    packagesDir,
    stop: async () => {
      await server.stop();
      removeRoot();
    },
  };
}

/** The password goes through stdin, never argv (visible in ps). */
async function writeHtpasswd(python: string, file: string, username: string, password: string): Promise<void> {
  const script =
    "import sys; from passlib.apache import HtpasswdFile as H; h = H(sys.argv[1]); h.set_password(sys.argv[2], sys.stdin.read()); h.save()";
  const result = await runProcess(python, ["-c", script, file, username], { cwd: dirname(file), input: password });
  if (result.exitCode !== 0) {
    throw new EnvironmentError(CODE, `cannot write the index's password file: ${result.stderr.trim() || `exit ${result.exitCode}`}`, {
      hint: "check the tools venv (passlib)",
    });
  }
}
