// The README's main command (`./dev pnpm rehearse`): the rehearsal of the bundled examples, a push (a dev
// version to the TestPyPI stand-in) and a tag (a release to the PyPI stand-in, the GitHub release as a dry
// run) of examples/hatch-static and a push of examples/scm-dynamic, each in a temporary clone against its own
// throwaway local index, exactly as `pypi-workflows rehearse` runs them; the local npm registry with this
// workspace's helpers is started once for all three. Exits 1 at the first failed rehearsal.
import { join } from "node:path";
import { locateAssets, provideHelpers, rehearse, renderProgress, renderReport } from "../dist/index.js";

const root = join(import.meta.dirname, "..", "..", "..");
const runs = [
  { projectDir: join(root, "examples/hatch-static"), event: "push" },
  { projectDir: join(root, "examples/hatch-static"), event: "tag", tag: "v0.1.0" },
  { projectDir: join(root, "examples/scm-dynamic"), event: "push" },
];
const helpers = await provideHelpers("workspace", locateAssets(), process.env);
let failed = false;
try {
  for (const run of runs) {
    console.log(`\n$ pypi-workflows rehearse ${run.projectDir.slice(root.length + 1)} --event ${run.event}${run.tag ? ` --tag ${run.tag}` : ""}`);
    const report = await rehearse({
      ...run, env: process.env, helpersEnv: helpers.env,
      onProgress: (event) => {
        const line = renderProgress(event);
        if (line) console.log(line);
      },
    });
    console.log(renderReport(report));
    if (report.status !== "success") {
      failed = true;
      break;
    }
  }
} finally {
  await helpers.stop();
}
console.log(failed ? "\na rehearsal failed (above)" : "\nall rehearsals passed: published, verified and (for the tag) the release prepared");
process.exitCode = failed ? 1 : 0;
