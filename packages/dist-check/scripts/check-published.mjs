#!/usr/bin/env node
// Runs the built dist-check over distributions PyPI accepted: the newest wheel (for this machine) of each project
// named, and the sdist of those whose wheel is pure Python, downloaded with the tools venv's pip. PyPI took every one of them, so any error dist-check reports
// is a refusal PyPI would not make (or a rule PyPI brought in after that upload): the check for false refusals
// that the test suite cannot make (tests never reach PyPI). Each file is also checked with `--target pypi`, against
// PyPI's real pages (its JSON with sizes and upload times): it must come out "already published", with no error
// from the index rules (14 days, project size, new names). Needs the network; not part of `pnpm test`.
// Usage: pnpm build && node scripts/check-published.mjs [NAME...]   (exit 1 if any file gets an error)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolsVenv } from "../../../tooling/tools-venv.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const python = join(toolsVenv(), "bin/python");
const cli = join(here, "../dist/bin/cli.cjs");
const DEFAULT = [
  "attrs", "black", "certifi", "charset-normalizer", "cryptography", "grpcio", "idna", "lxml", "mypy", "numpy",
  "orjson", "packaging", "pillow", "pip", "protobuf", "psutil", "pydantic-core", "pyyaml", "requests", "rich",
  "ruff", "setuptools", "typing-extensions", "urllib3", "uv",
];
const names = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT;
const dir = mkdtempSync(join(tmpdir(), "dc-published-"));
try {
  const pip = (args) => spawnSync(python, ["-m", "pip", "download", "--quiet", "--no-deps", "--dest", dir, ...args], { encoding: "utf8" });
  if (pip(["--only-binary=:all:", ...names]).status !== 0) console.log("some wheels could not be downloaded");
  // pip prepares an sdist's metadata by building it (minutes, or a failure, for compiled projects): sdists are
  // taken for the projects whose wheel is pure Python, one at a time.
  const pure = readdirSync(dir).filter((f) => f.endsWith("-none-any.whl")).map((f) => f.split("-")[0]);
  for (const name of pure) if (pip(["--no-binary=:all:", name]).status !== 0) console.log(`no sdist checked for ${name} (pip could not prepare it)`);
  let refused = 0;
  let compared = 0;
  const files = readdirSync(dir).sort();
  const check = (file, extra) => {
    const run = spawnSync(process.execPath, [cli, join(dir, file), "--json", "--max-file-size", "1024", "--python", python, ...extra], { encoding: "utf8" });
    // With --json a failure (exit 2) is an `error` object on stdout too.
    const out = run.stdout ? JSON.parse(run.stdout) : {};
    if (out.error) return [{ severity: "error", code: out.error.code, message: out.error.message }];
    return out.findings ?? [{ severity: "error", code: "EXIT", message: run.stderr.trim() }];
  };
  for (const file of files) {
    // Against PyPI itself, where it can be reached (the file must be "already published" there), else alone.
    let findings = check(file, ["--target", "pypi"]);
    const unreachable = findings.some((f) => f.code === "IDX_UNREACHABLE");
    if (unreachable) findings = check(file, []);
    const errors = findings.filter((f) => f.severity === "error");
    if (!unreachable) {
      compared += 1;
      if (!findings.some((f) => f.code === "DC_ALREADY_PUBLISHED")) errors.push({ code: "NOT_PUBLISHED", message: "not reported as already on PyPI" });
    }
    if (errors.length > 0) refused += 1;
    console.log(`${errors.length ? "REFUSED" : "ok     "} ${file}${errors.map((f) => `\n        ${f.code} ${f.message}`).join("")}`);
  }
  const { version } = JSON.parse(readFileSync(join(here, "../package.json"), "utf8"));
  console.log(`\n${files.length} distributions PyPI accepted (${compared} also compared with PyPI's pages), ${refused} refused by dist-check ${version}`);
  process.exitCode = refused ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
