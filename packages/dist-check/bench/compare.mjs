// dist-check beside `twine check --strict` + `check-wheel-contents` on a generated 200+ MB wheel (20,000 small
// modules and one 240 MiB member), and dist-check's file hashing beside `sha256sum` over the same bytes.
// Targets (issue 3): at most half the peers' combined time; hashing within 2x of sha256sum; peak RSS < 150 MB.
// Run: pnpm --filter @pypi-workflows/dist-check build && pnpm --filter @pypi-workflows/dist-check bench
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureCommand, REPO_ROOT, round, writeResults } from "../../../tooling/bench/lib.mjs";
import { makeWheel } from "./make-wheel.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../dist/cli.js");
const index = join(here, "../dist/index.js");
const venvBin = join(REPO_ROOT, ".tools/python/bin");
const runs = Number(process.env.BENCH_RUNS ?? 3);

const dir = mkdtempSync(join(tmpdir(), "dc-bench-"));
try {
  const wheel = join(dir, "bigdemo-1.0.0-py3-none-any.whl");
  const started = performance.now();
  const size = await makeWheel(wheel);
  console.log(`generated ${wheel}: ${(size / 1024 / 1024).toFixed(1)} MiB in ${round((performance.now() - started) / 1000)} s`);
  const opts = { runs, cwd: dir };
  // dist-check is run as users run it: the bin itself (its shebang sets the V8 young-generation size).
  const distCheck = measureCommand(cli, [wheel], opts);
  const twine = measureCommand(join(venvBin, "twine"), ["check", "--strict", wheel], opts);
  const cwc = measureCommand(join(venvBin, "check-wheel-contents"), [wheel], opts);
  const sha256sum = measureCommand("sha256sum", [wheel], opts);
  const hashScript = `import(${JSON.stringify(index)}).then((m) => console.log(m.sha256File(process.argv[1])))`;
  const nodeHash = measureCommand(process.execPath, ["-e", hashScript, wheel], opts);
  const peers = twine.medianMs + cwc.medianMs;
  const timeRatio = round(distCheck.medianMs / peers);
  const hashRatio = round(nodeHash.medianMs / sha256sum.medianMs);
  const record = writeResults("dist-check", {
    baseline: "twine check --strict + check-wheel-contents (sequential); sha256sum for hashing",
    results: {
      wheel: { bytes: statSync(wheel).size, members: 20_004, largestMemberBytes: 240 * 1024 * 1024 },
      distCheck,
      twineCheck: twine,
      checkWheelContents: cwc,
      peersCombinedMedianMs: round(peers),
      distCheckHashing: nodeHash,
      sha256sum,
      note: "dist-check inflates and sha256-hashes every member against RECORD and hashes the file; twine check reads METADATA only and check-wheel-contents reads the member list without hashing contents.",
    },
    verdicts: [
      { target: "dist-check time <= 0.5x (twine check + check-wheel-contents)", value: `${timeRatio}x (${distCheck.medianMs} ms vs ${round(peers)} ms)`, met: timeRatio <= 0.5 },
      { target: "dist-check file hashing <= 2x sha256sum", value: `${hashRatio}x (${nodeHash.medianMs} ms vs ${sha256sum.medianMs} ms)`, met: hashRatio <= 2 },
      { target: "dist-check peak RSS < 150 MB", value: `${distCheck.peakRssMiB} MiB`, met: distCheck.peakRssMiB < 150 },
    ],
  });
  mkdirSync(join(here, "results"), { recursive: true });
  writeFileSync(join(here, "results/dist-check.json"), `${JSON.stringify(record, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
