// The project's Python tools venv (twine, check-wheel-contents, zizmor, the packaging references...), for the
// scripts and benches that run those tools outside the tests: made on first use by tools/python/setup.sh, as the
// tests make it, so that nothing needs setting up first in a fresh clone.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The venv's directory (its interpreter is bin/python). */
export function toolsVenv() {
  return execFileSync("bash", [join(REPO_ROOT, "tools/python/setup.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}
