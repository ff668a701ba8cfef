// Shared benchmark helpers: every package's `bench` script measures its subject beside a named baseline in
// the same run and writes ratios to bench/results/<name>.json. Benchmarks never assert on time.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export { toolsVenv } from "../tools-venv.mjs";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const RESULTS_DIR = join(REPO_ROOT, "bench/results");

const RUSAGE_WRAPPER =
  "import resource, subprocess, sys, time\n" +
  "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n" +
  "d = time.perf_counter() - t\n" +
  "print(f'{d} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {r.returncode}')\n" +
  "sys.stderr.write(r.stderr.decode(errors='replace')[-2000:] if r.returncode else '')";

/**
 * Runs a command `runs` times; returns wall-time samples (ms), the median and the peak RSS (MiB) of the
 * command's process tree as the kernel reports it (the largest child, through getrusage).
 */
export function measureCommand(command, args, { runs = 5, cwd = REPO_ROOT, env = process.env, warmup = 1 } = {}) {
  const samples = [];
  let peakRssMiB = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const r = spawnSync("python3", ["-c", RUSAGE_WRAPPER, command, ...args], { cwd, env, encoding: "utf8" });
    const [seconds, maxrssKiB, code] = r.stdout.trim().split(" ").map(Number);
    if (r.status !== 0 || code !== 0) {
      throw new Error(`benchmark command failed: ${command} ${args.join(" ")}\n${r.stderr}`);
    }
    if (i < warmup) continue;
    samples.push(seconds * 1000);
    peakRssMiB = Math.max(peakRssMiB, maxrssKiB / 1024);
  }
  return { samplesMs: samples.map((s) => round(s)), medianMs: round(median(samples)), peakRssMiB: round(peakRssMiB) };
}

// CPU time (user + sys) of the command's process tree. The count taken before the command is subtracted: when
// `python3` is a pyenv shim, the shim's own processes (bash, readlink, pyenv-exec: some 55 ms here) are children
// of the same process before it becomes Python, and were counted with the command.
const CPU_WRAPPER =
  "import resource, subprocess, sys\n" +
  "def cpu():\n    u = resource.getrusage(resource.RUSAGE_CHILDREN)\n    return u.ru_utime + u.ru_stime\n" +
  "before = cpu()\n" +
  "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n" +
  "print((cpu() - before) * 1000)\n" +
  "sys.stderr.write(r.stderr.decode(errors='replace')[-2000:] if r.returncode else '')\n" +
  "sys.exit(1 if r.returncode else 0)";

/** CPU milliseconds (user + sys) of one run of a command and every process it starts. */
export function measureCpuMs(command, args, { cwd = REPO_ROOT, env = process.env } = {}) {
  const r = spawnSync("python3", ["-c", CPU_WRAPPER, command, ...args], { cwd, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cpu measurement failed: ${command} ${args.join(" ")}\n${r.stderr}`);
  return round(Number(r.stdout.trim()));
}

/** Times an async function `runs` times (after one warm-up). */
export async function measureFunction(fn, { runs = 5, warmup = 1 } = {}) {
  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t = performance.now();
    await fn();
    if (i >= warmup) samples.push(performance.now() - t);
  }
  return { samplesMs: samples.map((s) => round(s)), medianMs: round(median(samples)) };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(n, digits = 2) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * Writes bench/results/<name>.json: { name, baseline, date, node, machine, results, verdicts } and prints a
 * short table. `verdicts` are the targets, each { target, value, met }.
 */
export function writeResults(name, { baseline, results, verdicts = [] }) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const record = {
    name,
    baseline,
    date: new Date().toISOString(),
    node: process.version,
    cpus: (globalThis.navigator?.hardwareConcurrency ?? 0) || undefined,
    results,
    verdicts,
  };
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\n${name} (baseline: ${baseline}) -> ${file}`);
  for (const v of verdicts) console.log(`  ${v.met ? "met " : "MISS"}  ${v.target}: ${v.value}`);
  return record;
}
