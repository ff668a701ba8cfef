// The README's main command (`./dev pnpm rehearse`): the rehearsal of the bundled examples, a push (a dev
// version to the TestPyPI stand-in) and a tag (a release to the PyPI stand-in, the GitHub release as a dry
// run), each in a temporary clone against a throwaway local index. Exits with the first failing status.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..", "..");
const cli = join(import.meta.dirname, "..", "dist", "cli.js");
const runs = [
  ["examples/hatch-static", "--event", "push"],
  ["examples/hatch-static", "--event", "tag", "--tag", "v0.1.0"],
  ["examples/scm-dynamic", "--event", "push"],
];
for (const args of runs) {
  console.log(`\n$ pypi-workflows rehearse ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [cli, "rehearse", ...args], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
console.log("\nall rehearsals passed: the workflows published, verified and (for the tag) prepared the release");
