// Benchmark: verify the hatch-static example's pure-Python wheel with install-verifier (pip path, uv path)
// against the naive check (`python -m venv v && v/bin/pip install WHEEL && v/bin/python -c "import x"`), in
// the same run, with the same interpreter. Nothing reaches the network: the naive pip gets --no-index, the
// verifier a deps index on a dead local port (the example has no dependencies), and uv starts every run with
// an empty cache, as on a fresh CI runner. Targets (issue 4): 3x faster than naive with pip, 6x with uv.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureCommand, REPO_ROOT, round, toolsVenv, writeResults } from "../../../tooling/bench/lib.mjs";

const CLI = fileURLToPath(new URL("../dist/bin/cli.cjs", import.meta.url));
const python = join(toolsVenv(), "bin/python");
const work = mkdtempSync(join(tmpdir(), "iv-bench-"));
const dist = join(work, "dist");
const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1", PIP_NO_INPUT: "1" };

const loadBefore = round(loadavg()[0]);
try {
  // Built once: the wheel of the example, from a copy outside the checkout.
  execFileSync("cp", ["-r", join(REPO_ROOT, "examples/hatch-static"), join(work, "project")]);
  execFileSync(python, ["-m", "build", "--no-isolation", "--wheel", "--outdir", dist, join(work, "project")], { stdio: "ignore" });
  const wheel = join(dist, readdirSync(dist).find((f) => f.endsWith(".whl")));
  const runs = { runs: 5, warmup: 1, cwd: work, env };

  const naiveScript = `rm -rf v && "$1" -m venv v && v/bin/pip install -q --no-index "$2" && v/bin/python -c "import hatch_static_demo"`;
  const naive = measureCommand("sh", ["-c", naiveScript, "naive", python, wheel], runs);
  const verify = (installer) => [CLI, "verify", "--dist", dist, "--python", python, "--installer", installer, "--deps-index-url", "http://127.0.0.1:9/simple/"];
  const pip = measureCommand(process.execPath, verify("pip"), runs);
  const uvScript = `export UV_CACHE_DIR="$(mktemp -d)"; "$@"; status=$?; rm -rf "$UV_CACHE_DIR"; exit $status`;
  const uv = measureCommand("sh", ["-c", uvScript, "uv-cold-cache", process.execPath, ...verify("uv")], runs);

  const pipSpeedup = round(naive.medianMs / pip.medianMs);
  const uvSpeedup = round(naive.medianMs / uv.medianMs);
  writeResults("install-verifier", {
    baseline: "naive: python -m venv v && v/bin/pip install --no-index WHEEL && v/bin/python -c 'import hatch_static_demo'",
    results: {
      subject: "install-verifier verify --dist (fresh venv, install --no-deps, version, import, console script --version)",
      naive,
      installVerifierPip: pip,
      installVerifierUvColdCache: uv,
      speedupPip: pipSpeedup,
      speedupUv: uvSpeedup,
      // The machine is shared: a high load slows the CPU-heavy naive path (ensurepip) more than ours.
      loadAverage1m: { before: loadBefore, after: round(loadavg()[0]) },
    },
    verdicts: [
      { target: "pip path at least 3x faster than naive", value: `${pipSpeedup}x`, met: pipSpeedup >= 3 },
      { target: "uv path at least 6x faster than naive", value: `${uvSpeedup}x`, met: uvSpeedup >= 6 },
    ],
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
