import { runProcess } from "@pypi-workflows/cli-kit";

export type TwineOutcome =
  | { kind: "uploaded" }
  | { kind: "auth"; message: string }
  | { kind: "rejected"; status: number; message: string; attempted?: string[] }
  | { kind: "retryable"; message: string; attempted?: string[] };

export type TwineFailure = Exclude<TwineOutcome, { kind: "uploaded" }>;

/** The files twine started, in order ("Uploading NAME" lines; a 5xx retry repeats a name). */
export function attemptedFiles(stdout: string): string[] {
  const names = [...stdout.matchAll(/^Uploading (\S+\.(?:whl|tar\.gz|zip))\s*$/gm)].map((m) => m[1]!);
  return [...new Set(names)];
}

export interface TwineCall {
  /** The command that runs twine, e.g. ["twine"] or ["/path/python", "-m", "twine"]. */
  command: readonly string[];
  uploadUrl: string;
  username: string;
  password: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * Uploads files with the real twine (one process: twine stops at the first file that fails) and classifies
 * the outcome. Credentials go through the environment
 * only (never argv, which other processes can read); the caller redacts output anyway.
 */
export async function uploadWithTwine(files: readonly string[], call: TwineCall): Promise<TwineOutcome> {
  const [program, ...prefix] = call.command;
  const result = await runProcess(
    program!,
    [...prefix, "upload", "--non-interactive", "--disable-progress-bar", "--verbose", "--repository-url", call.uploadUrl, ...files],
    {
      cwd: call.cwd,
      timeoutMs: call.timeoutMs,
      env: {
        ...call.env,
        TWINE_USERNAME: call.username,
        TWINE_PASSWORD: call.password,
        TWINE_NON_INTERACTIVE: "1",
        // twine must not pick up a keyring or ~/.pypirc secret of the machine it runs on
        PYTHON_KEYRING_BACKEND: "keyring.backends.null.Keyring",
      },
    },
  );
  if (result.timedOut) {
    return { kind: "retryable", message: `no answer within ${Math.round(call.timeoutMs / 1000)} s`, attempted: attemptedFiles(result.stdout) };
  }
  if (result.exitCode === 0) return { kind: "uploaded" };
  const failure = classifyTwineFailure(`${result.stdout}\n${result.stderr}`);
  // Which files twine started matters for a retry; a refused login stops everything at once.
  return failure.kind === "auth" ? failure : { ...failure, attempted: attemptedFiles(result.stdout) };
}

/** Reads twine's failure text: which HTTP status or connection error ended the upload. */
export function classifyTwineFailure(output: string): TwineFailure {
  const message = summarize(output);
  const statuses = [...output.matchAll(/HTTPError: (\d{3})\b|Received "(\d{3}):/g)].map((m) => Number(m[1] ?? m[2]));
  const status = statuses.at(-1) ?? 0;
  if (status === 401 || status === 403) return { kind: "auth", message };
  if (status >= 500 || status === 429 || status === 408) return { kind: "retryable", message };
  if (status >= 400) return { kind: "rejected", status, message };
  if (/ConnectionError|Connection reset|RemoteDisconnected|ConnectionResetError|Connection aborted|timed out|Read timed out|BrokenPipe/i.test(output)) {
    return { kind: "retryable", message };
  }
  return { kind: "rejected", status: 0, message };
}

function summarize(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^Uploading |^Enter your|^INFO /.test(l));
  return lines.slice(-6).join(" | ").slice(0, 800);
}
