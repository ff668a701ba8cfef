import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is packages/testkit/src/paths.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const EXAMPLES_DIR = join(REPO_ROOT, "examples");
export const PYTHON_SETUP_SCRIPT = join(REPO_ROOT, "tools/python/setup.sh");
