import { join } from "node:path";
import { REPO_ROOT } from "@pypi-workflows/testkit";

export const ROOT = REPO_ROOT;
export const FIXTURES = join(import.meta.dirname, "fixtures");
/** Every workflow file this project ships: the reusable ones, this repository's CI, and the examples. */
export const WORKFLOW_DIRS = [".github/workflows", "examples/workflows"];
