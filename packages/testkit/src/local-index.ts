import { execFileSync } from "node:child_process";
import { freePort, startLocalPypiServer, type LocalPypiServer } from "@pypi-workflows/cli-kit";
import { pythonTools } from "./python-tools.js";
import { tempDir } from "./temp.js";

export type LocalIndex = LocalPypiServer;

export interface LocalIndexOptions {
  username?: string;
  password?: string;
  /** Seconds to wait for the server to answer. */
  startTimeoutSeconds?: number;
}

export { freePort };

/**
 * The product's own local pypiserver (cli-kit's startLocalPypiServer, which rehearsals use too), from the
 * tools venv, in a temp directory removed after the test.
 */
export function startLocalIndex(options: LocalIndexOptions = {}): Promise<LocalIndex> {
  const tools = pythonTools();
  return startLocalPypiServer({
    pypiServer: tools.bin("pypi-server"),
    python: tools.python,
    username: options.username,
    password: options.password ?? "local-index-password",
    dir: tempDir("pw-index-"),
    startTimeoutMs: (options.startTimeoutSeconds ?? 30) * 1000,
    env: { ...process.env, PATH: tools.path() },
  });
}

/**
 * Uploads files to a local index with the real twine of the tools venv (the index's own credentials unless
 * `password` says otherwise). Throws twine's failure (its output on the error's stdout/stderr).
 */
export function twineUpload(index: LocalIndex, files: string[], options: { password?: string } = {}): void {
  const tools = pythonTools();
  execFileSync(tools.bin("twine"), ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", index.uploadUrl, ...files], {
    env: { ...process.env, PATH: tools.path(), TWINE_USERNAME: index.username, TWINE_PASSWORD: options.password ?? index.password },
    stdio: "pipe",
  });
}
