import { runProcess } from "@pypi-workflows/cli-kit";
import { pythonTools } from "@pypi-workflows/testkit";

/** A peer's verdict on one file: "passes", or "rejects" with a short deterministic reason. */
export interface PeerVerdict {
  rejects: boolean;
  detail: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes from rich
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Runs a peer on many files at once, as few times as possible: both peers stop at the first file they cannot
 * read, so the run resumes without that file (which counts as rejected: "crashes").
 */
async function runBatched(
  files: string[],
  run: (batch: string[]) => Promise<string>,
  parse: (file: string, output: string) => PeerVerdict | undefined,
  crashed: (output: string, batch: string[], verdicts: Map<string, PeerVerdict>) => { file: string; detail: string } | undefined,
): Promise<Map<string, PeerVerdict>> {
  const verdicts = new Map<string, PeerVerdict>();
  let remaining = [...files];
  while (remaining.length) {
    const output = (await run(remaining)).replace(ANSI, "");
    for (const file of remaining) {
      const verdict = parse(file, output);
      if (verdict) verdicts.set(file, verdict);
    }
    const unreported = remaining.filter((f) => !verdicts.has(f));
    if (unreported.length) {
      const crash = crashed(output, remaining, verdicts);
      if (crash) verdicts.set(crash.file, { rejects: true, detail: crash.detail });
      else if (unreported.length === remaining.length && remaining.length === 1) verdicts.set(remaining[0]!, { rejects: true, detail: "crashes" });
      else {
        // The peer failed before naming a file: fall back to one run per file.
        for (const file of unreported) for (const [k, v] of await runBatched([file], run, parse, crashed)) verdicts.set(k, v);
      }
    }
    remaining = remaining.filter((f) => !verdicts.has(f));
  }
  return verdicts;
}

const peerEnv = () => ({ ...process.env, PATH: pythonTools().path(), NO_COLOR: "1", COLUMNS: "400", TERM: "dumb" });

/** `twine check --strict` per file: PASSED, FAILED (warnings under --strict) or ERROR. */
export function twineCheck(files: string[], cwd: string): Promise<Map<string, PeerVerdict>> {
  const run = async (batch: string[]) => {
    const r = await runProcess(pythonTools().bin("twine"), ["check", "--strict", ...batch], { cwd, env: peerEnv(), timeoutMs: 120_000 });
    return `${r.stdout}\n@@stderr@@\n${r.stderr}`;
  };
  // rich wraps long lines at 80 columns whatever COLUMNS says: read stdout with the line breaks removed.
  const statusOf = (file: string, output: string) => {
    const stdout = (output.split("@@stderr@@")[0] ?? "").replace(/\n/g, "");
    const at = stdout.indexOf(`Checking ${file}:`);
    if (at < 0) return undefined;
    return /^\s*(PASSED with warnings|PASSED|FAILED|ERROR\s+\w+)?/.exec(stdout.slice(at + `Checking ${file}:`.length))?.[1] ?? "";
  };
  // twine prints "Checking FILE: " before reading it; a traceback leaves that line without a status.
  const crashed = (output: string, batch: string[]) => {
    const file = batch.find((f) => statusOf(f, output) === "");
    if (file === undefined) return undefined;
    const error = /ERROR\s+(\w+):/.exec(output.split("@@stderr@@")[1] ?? "")?.[1];
    return { file, detail: error ? `rejects (${error})` : "crashes" };
  };
  return runBatched(files, run, (file, output) => {
    const status = statusOf(file, output);
    if (!status) return undefined;
    if (status.startsWith("PASSED") && !/warning/i.test(status)) return { rejects: false, detail: "passes" };
    if (status.startsWith("ERROR")) return { rejects: true, detail: `rejects (${status.replace(/^ERROR\s+/, "").split(":")[0]})` };
    return { rejects: true, detail: `rejects (${status.split(/\s+/)[0]})` };
  }, crashed);
}

/** check-wheel-contents per wheel: "OK", W/E codes, or "invalid wheel". */
export function checkWheelContents(files: string[], cwd: string): Promise<Map<string, PeerVerdict>> {
  const run = async (batch: string[]) => {
    const r = await runProcess(pythonTools().bin("check-wheel-contents"), batch, { cwd, env: peerEnv(), timeoutMs: 120_000 });
    return r.stdout;
  };
  // check-wheel-contents reports in argument order and stops at a file it cannot open: the one after the last reported.
  const crashed = (_output: string, batch: string[], verdicts: Map<string, PeerVerdict>) => {
    const last = batch.reduce((at, f, i) => (verdicts.has(f) ? i : at), -1);
    const file = batch[last + 1];
    return file === undefined ? undefined : { file, detail: "crashes" };
  };
  return runBatched(files, run, (file, output) => {
    const lines = output.split("\n").filter((l) => l.startsWith(`${file}: `)).map((l) => l.slice(file.length + 2));
    if (lines.length === 0) return undefined;
    if (lines.length === 1 && lines[0] === "OK") return { rejects: false, detail: "passes" };
    const codes = [...new Set(lines.map((l) => (/^([WE]\d{3}):/.exec(l)?.[1] ?? (l.startsWith("invalid wheel") ? "invalid wheel" : l.includes("invalid filename") ? "invalid filename" : "error"))))];
    return { rejects: true, detail: `rejects (${codes.join(", ")})` };
  }, crashed);
}
