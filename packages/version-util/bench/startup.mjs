// version-util's start-up: `from-tag v1.2.3` through the built CLI, beside `node -e 0` (the floor) in the same run.
// Target (issue 2): under 150 ms. Run `pnpm build` first (the root `pnpm bench` does).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureCommand, round, writeResults } from "../../../tooling/bench/lib.mjs";

const cli = join(dirname(fileURLToPath(import.meta.url)), "../dist/bin/cli.cjs");
if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first`);
const runs = Number(process.env.BENCH_RUNS ?? 20);

const floor = measureCommand(process.execPath, ["-e", "0"], { runs, warmup: 2 });
const fromTag = measureCommand(process.execPath, [cli, "from-tag", "v1.2.3"], { runs, warmup: 2 });
const normalize = measureCommand(process.execPath, [cli, "normalize", "V1.2.3-RC.1"], { runs, warmup: 2 });

writeResults("version-util", {
  baseline: "node -e 0",
  results: {
    "node -e 0": floor,
    "version-util from-tag v1.2.3": { ...fromTag, overFloorMs: round(fromTag.medianMs - floor.medianMs), ratio: round(fromTag.medianMs / floor.medianMs) },
    "version-util normalize V1.2.3-RC.1": { ...normalize, overFloorMs: round(normalize.medianMs - floor.medianMs) },
  },
  verdicts: [{ target: "from-tag start-up under 150 ms (median)", value: `${fromTag.medianMs} ms`, met: fromTag.medianMs < 150 }],
});
