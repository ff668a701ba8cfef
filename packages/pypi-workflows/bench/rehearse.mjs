// The rehearsal of examples/hatch-static (a push: version, build, dist-check, install check, upload, verify from
// the index, through the real workflows) vs the naive script a maintainer would write (python -m build, twine
// check, twine upload, python -m venv, pip install, python -c "import ..."), both against a fresh local
// pypiserver per sample (its start-up is not timed for either). Writes bench/results/pypi-workflows.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, REPO_ROOT, round, writeResults } from "../../../tooling/bench/lib.mjs";
import { ensurePythonTools, locateAssets, provideHelpers, rehearse, startThrowawayIndex } from "../dist/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const assets = locateAssets();
const tools = await ensurePythonTools(assets, process.env);
const offline = { PIP_NO_INDEX: "1", PIP_FIND_LINKS: tools.wheelhouse, HTTPS_PROXY: "http://127.0.0.1:9", NO_PROXY: "127.0.0.1" };
const example = join(REPO_ROOT, "examples", "hatch-static");

const startIndex = () => startThrowawayIndex({ pypiServer: tools.bin("pypi-server"), python: tools.python });

/** The naive release script, step by step, each timed. */
function naive(index) {
  const work = mkdtempSync(join(tmpdir(), "pw-bench-naive-"));
  const env = { ...process.env, ...offline, PATH: `${join(tools.venv, "bin")}:${process.env.PATH}` };
  const steps = {};
  const step = (name, cmd, args, extraEnv = {}) => {
    const t = performance.now();
    // pip install reads the local index, not the wheelhouse: without PIP_NO_INDEX/PIP_FIND_LINKS.
    const { PIP_NO_INDEX, PIP_FIND_LINKS, ...rest } = env;
    execFileSync(cmd, args, { cwd: work, env: { ...(name === "pip install" ? rest : env), ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    steps[name] = performance.now() - t;
  };
  const t = performance.now();
  // The same offline conditions as the rehearsal: backends from the tools venv (no isolated download).
  step("python -m build", tools.python, ["-m", "build", "--no-isolation", "--outdir", join(work, "dist"), example]);
  step("twine check", tools.bin("twine"), ["check", "--strict", ...listDist(work)]);
  step("twine upload", tools.bin("twine"), ["upload", "--non-interactive", "--repository-url", index.uploadUrl, ...listDist(work)],
    { TWINE_USERNAME: index.username, TWINE_PASSWORD: index.password });
  step("python -m venv", tools.python, ["-m", "venv", join(work, "venv")]);
  step("pip install", join(work, "venv", "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--quiet",
    "--index-url", index.simpleUrl, "hatch-static-demo==0.1.0"]);
  step("python -c import", join(work, "venv", "bin", "python"), ["-c", "import hatch_static_demo"]);
  const total = performance.now() - t;
  rmSync(work, { recursive: true, force: true });
  return { total, steps };
}

function listDist(work) {
  return execFileSync("bash", ["-c", 'ls "$1"/dist/*', "-", work], { encoding: "utf8" }).trim().split("\n");
}

async function rehearsal(index, helpersEnv) {
  const report = await rehearse({
    projectDir: example, event: "push", env: process.env, tools, helpersEnv, extraEnv: { HTTPS_PROXY: offline.HTTPS_PROXY, NO_PROXY: offline.NO_PROXY },
    index: { simpleUrl: index.simpleUrl, uploadUrl: index.uploadUrl, username: index.username, password: index.password },
  });
  if (report.status !== "success") throw new Error(`rehearsal failed: ${JSON.stringify(report.failure)}`);
  const steps = {};
  for (const s of report.steps) steps[`${s.job} / ${s.step}`] = (steps[`${s.job} / ${s.step}`] ?? 0) + s.durationMs;
  return { total: report.durationMs, steps };
}

function summarize(samples) {
  const names = Object.keys(samples[0].steps);
  return {
    samplesMs: samples.map((s) => round(s.total)),
    medianMs: round(median(samples.map((s) => s.total))),
    stepsMedianMs: Object.fromEntries(names.map((n) => [n, round(median(samples.map((s) => s.steps[n] ?? 0)))])),
  };
}

const helpers = await provideHelpers("workspace", assets, process.env);
const naiveSamples = [];
const rehearsalSamples = [];
try {
  for (let i = 0; i < RUNS + 1; i++) {
    // Alternate, so load from other processes on the machine falls on both alike; the first pair warms caches.
    for (const [samples, fn] of [[naiveSamples, naive], [rehearsalSamples, (ix) => rehearsal(ix, helpers.env)]]) {
      const index = await startIndex();
      try {
        const sample = await fn(index);
        if (i > 0) samples.push(sample);
      } finally {
        await index.stop();
      }
    }
  }
} finally {
  await helpers.stop();
}
// What the CLI adds once per rehearsal: the local npm registry with the workspace's helpers and a throwaway index.
const t = performance.now();
const cold = await provideHelpers("workspace", assets, process.env);
const ix = await startIndex();
const setupMs = performance.now() - t;
await Promise.all([cold.stop(), ix.stop()]);

const naiveResult = summarize(naiveSamples);
const rehearsalResult = summarize(rehearsalSamples);
const ratio = round(rehearsalResult.medianMs / naiveResult.medianMs);
writeResults("pypi-workflows", {
  baseline: "naive script: python -m build, twine check, twine upload, python -m venv, pip install, python -c import",
  results: {
    naive: naiveResult,
    rehearsal: rehearsalResult,
    cliSetupMs: round(setupMs),
    ratio,
  },
  verdicts: [
    { target: "rehearsal (build, checks, upload, verify) no slower than the naive script", value: `${ratio}x (${rehearsalResult.medianMs} ms vs ${naiveResult.medianMs} ms)`, met: ratio <= 1 },
  ],
});
