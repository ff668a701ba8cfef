// notes-gen benchmark: full-history changelog and last-release notes on generated histories, against the
// conventional-changelog CLI and git-cliff (both from npm) in the same run, with raw `git log` as the floor
// (and Node starting and reading that log, with no work on it, as the floor for any Node CLI).
// Usage: pnpm --filter @pypi-workflows/notes-gen bench   (build first; writes bench/results/notes-gen.json)
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureCommand, measureCpuMs, median, round, writeResults } from "../../../tooling/bench/lib.mjs";
import { generateRepo } from "./generate-repo.mjs";

const PKG = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(PKG, "dist/bin/cli.cjs");
const BIN = join(PKG, "node_modules/.bin");
// Eleven runs a command: the 10x verdict compares two medians, and on a shared 2-core machine five runs of a
// 130 ms command moved the ratio by half a point from one bench run to the next.
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
if (!existsSync(CLI)) throw new Error("build first: pnpm --filter @pypi-workflows/notes-gen build");

const root = mkdtempSync(join(tmpdir(), "notes-gen-bench-"));
process.on("exit", () => rmSync(root, { recursive: true, force: true }));
const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GITHUB_REPOSITORY: "acme/bench" };
delete env.GITHUB_TOKEN;

function makeRepo(commits, tags) {
  const dir = join(root, `repo-${commits}`);
  const started = performance.now();
  generateRepo(dir, { commits, tags });
  console.log(`generated ${commits} commits, ${tags} tags in ${round(performance.now() - started, 0)} ms (git fast-import)`);
  return dir;
}

const COMMANDS = {
  "git log (floor)": ["git", ["log", "-z", "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%cs%x1f%B"]],
  "node reading git log (floor)": [process.execPath, [join(PKG, "bench/read-log-floor.mjs")]],
  "notes-gen full": [process.execPath, [CLI, "changelog", "--all"]],
  "notes-gen last": [process.execPath, [CLI]],
  // HEAD is the last release's tag, so -r 1 would print only an empty "unreleased" section: -r 2 includes it.
  "conventional-changelog last": [join(BIN, "conventional-changelog"), ["-p", "conventionalcommits", "-r", "2", "--stdout"]],
  "conventional-changelog full": [join(BIN, "conventional-changelog"), ["-p", "conventionalcommits", "-r", "0", "--stdout"]],
  "git-cliff last": [join(BIN, "git-cliff"), ["--latest", "-o", "-"]],
  "git-cliff full": [join(BIN, "git-cliff"), ["-o", "-"]],
};

/**
 * Interleaves the commands run by run (A B C A B C ...) so a busy machine slows all of them alike, and
 * keeps each command's samples and peak RSS. `slowRuns` caps the runs of commands that take seconds.
 */
function measureInterleaved(cwd, names, runs, slow = {}) {
  const out = Object.fromEntries(names.map((n) => [n, { samplesMs: [], peakRssMiB: 0 }]));
  for (const name of names) {
    const [cmd, args] = COMMANDS[name];
    measureCommand(cmd, args, { cwd, env, runs: 1, warmup: 0 }); // warm-up: page cache, node compile cache
  }
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      if (i >= (slow[name] ?? runs)) continue;
      const [cmd, args] = COMMANDS[name];
      const r = measureCommand(cmd, args, { cwd, env, runs: 1, warmup: 0 });
      out[name].samplesMs.push(r.samplesMs[0]);
      out[name].peakRssMiB = Math.max(out[name].peakRssMiB, r.peakRssMiB);
    }
  }
  for (const r of Object.values(out)) r.medianMs = round(median(r.samplesMs));
  return out;
}

function cpuMs(cwd, name, runs) {
  const [cmd, args] = COMMANDS[name];
  return round(median(Array.from({ length: runs }, () => measureCpuMs(cmd, args, { cwd, env }))));
}

const loadAtStart = loadavg().map((l) => round(l));
const big = makeRepo(10_000, 250);
console.log(`measuring on 10,000 commits / 250 tags (${RUNS} interleaved runs; conventional-changelog full: 5, git-cliff full: 2)...`);
const main = measureInterleaved(big, Object.keys(COMMANDS), RUNS, { "git-cliff full": 2, "conventional-changelog full": 5 });

// Memory as history grows: the same last-release range (40 commits) on 2,500 / 10,000 / 20,000 commits.
const growth = {};
for (const [commits, tags] of [[2_500, 62], [20_000, 500]]) {
  const dir = makeRepo(commits, tags);
  growth[commits] = measureInterleaved(dir, ["notes-gen last", "notes-gen full"], 3);
}
growth[10_000] = { "notes-gen last": main["notes-gen last"], "notes-gen full": main["notes-gen full"] };

for (const name of Object.keys(COMMANDS)) main[name].cpuMs = cpuMs(big, name, name === "git-cliff full" ? 1 : 3);
const ms = (name) => main[name].medianMs;
const cpu = (name) => main[name].cpuMs;
const fullVsCc = round(ms("conventional-changelog full") / ms("notes-gen full"), 1);
const fullVsFloor = round(ms("notes-gen full") / ms("git log (floor)"), 1);
// What 10x asks for, next to what Node needs just to start and read git's log (no parsing, no output).
const tenfoldMs = round(ms("conventional-changelog full") / 10, 0);
const nodeFloorMs = ms("node reading git log (floor)");
const rss = (commits, name) => growth[commits][name].peakRssMiB;
const lastRssGrowth = round(rss(20_000, "notes-gen last") / rss(2_500, "notes-gen last"), 2);

writeResults("notes-gen", {
  baseline: "conventional-changelog CLI (conventionalcommits preset) and git-cliff, raw git log as the floor",
  results: {
    repository: { commits: 10_000, tags: 250, generatedWith: "git fast-import" },
    // Wall times depend on how busy the machine is (other packages' tests share it): the 1/5/15-minute load.
    loadAverage: { start: loadAtStart, end: loadavg().map((l) => round(l)) },
    commands: main,
    memoryAsHistoryGrows: Object.fromEntries(
      Object.entries(growth).map(([c, r]) => [c, Object.fromEntries(Object.entries(r).map(([n, v]) => [n, { medianMs: v.medianMs, peakRssMiB: v.peakRssMiB }]))]),
    ),
    ratios: {
      fullVsConventionalChangelog: fullVsCc,
      fullVsGitCliff: round(ms("git-cliff full") / ms("notes-gen full"), 1),
      fullVsRawGitLog: fullVsFloor,
      fullVsNodeReadingGitLog: round(ms("notes-gen full") / nodeFloorMs, 2),
      fullVsConventionalChangelogCpu: round(cpu("conventional-changelog full") / cpu("notes-gen full"), 1),
      fullVsGitCliffCpu: round(cpu("git-cliff full") / cpu("notes-gen full"), 1),
      fullVsRawGitLogCpu: round(cpu("notes-gen full") / cpu("git log (floor)"), 1),
      lastVsConventionalChangelog: round(ms("conventional-changelog last") / ms("notes-gen last"), 1),
      lastVsGitCliff: round(ms("git-cliff last") / ms("notes-gen last"), 1),
    },
  },
  verdicts: [
    {
      target: "full history >= 10x faster than conventional-changelog",
      value: `${fullVsCc}x (10x is ${tenfoldMs} ms; node reading git log alone takes ${nodeFloorMs} ms)`,
      met: fullVsCc >= 10,
    },
    { target: "full history within 5x of raw git log", value: `${fullVsFloor}x`, met: fullVsFloor <= 5 },
    { target: "last-release notes < 400 ms", value: `${ms("notes-gen last")} ms`, met: ms("notes-gen last") < 400 },
    {
      target: "memory flat as history grows (last-release notes peak RSS, 20k vs 2.5k commits, <= 1.25x)",
      value: `${rss(2_500, "notes-gen last")} -> ${rss(20_000, "notes-gen last")} MiB (${lastRssGrowth}x)`,
      met: lastRssGrowth <= 1.25,
    },
  ],
});
for (const [name, r] of Object.entries(main)) {
  console.log(`  ${name.padEnd(30)} ${String(r.medianMs).padStart(9)} ms wall  ${String(r.cpuMs).padStart(9)} ms cpu  ${r.peakRssMiB} MiB`);
}
