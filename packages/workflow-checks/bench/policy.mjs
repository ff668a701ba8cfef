// Bench: the policy checker and the scenario table (42 simulations with GitHub's parser and evaluator)
// beside zizmor --offline, the other static check CI runs on the same files. Issue 6 sets no time target;
// the verdicts here are this package's own: the checks must stay cheap enough to run on every push.
import { join } from "node:path";
import { measureCommand, toolsVenv, writeResults } from "../../../tooling/bench/lib.mjs";

const cli = join(import.meta.dirname, "../dist/bin/cli.cjs");
const zizmor = join(toolsVenv(), "bin/zizmor");
const files = [".github/workflows", "examples/workflows/token.yml", "examples/workflows/trusted-publishing.yml"];
const env = { ...process.env };
for (const name of ["GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"]) delete env[name];

const baseline = measureCommand(zizmor, ["--offline", "--no-progress", ...files], { env });
const policy = measureCommand(process.execPath, [cli, ".github/workflows", "examples/workflows"]);
const scenarios = measureCommand(process.execPath, [cli, "generate"]);

writeResults("workflow-checks", {
  baseline: "zizmor --offline on the same 7 workflow files",
  results: { zizmor: baseline, policy, scenarios },
  verdicts: [
    {
      target: "policy check of all 7 workflows (a whole CLI run) under 500 ms, within 2x of zizmor (a native binary)",
      value: `${policy.medianMs} ms vs zizmor ${baseline.medianMs} ms (${(policy.medianMs / baseline.medianMs).toFixed(2)}x)`,
      met: policy.medianMs < 500 && policy.medianMs <= 2 * baseline.medianMs,
    },
    {
      target: "scenario table (both callers, every event, 42 simulations) plus README under 3 s",
      value: `${scenarios.medianMs} ms`,
      met: scenarios.medianMs < 3000,
    },
  ],
});
