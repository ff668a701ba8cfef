import { downloadArtifact, uploadArtifact } from "./artifacts.js";
import { checkoutSource } from "./checkout.js";
import { RunnerError } from "./errors.js";
import { publishToIndex } from "./publish.js";
import { setupNode, setupPython } from "./setup-tools.js";
import type { Substitute } from "./substitute-types.js";

/**
 * THE table: every third-party action the local runner can stand in for, keyed by its name without @ref.
 * Anything else in `uses:` is an error naming it, never a silent skip.
 */
export const SUBSTITUTES: Record<string, Substitute> = {
  "actions/checkout": {
    description: "the run's source: a git repository fetched over file:// (fetch-depth honoured), else a copy",
    inputs: ["repository", "ref", "path", "fetch-depth", "persist-credentials", "fetch-tags", "clean", "lfs", "submodules", "token"],
    run: checkoutSource,
  },
  "actions/setup-python": {
    description: "the host's Python (the tools venv's interpreter) first on PATH; outputs python-version, python-path",
    inputs: ["python-version", "python-version-file", "cache", "architecture", "check-latest", "update-environment", "allow-prereleases"],
    run: setupPython,
  },
  "actions/setup-node": {
    description: "the host's node first on PATH; output node-version",
    inputs: ["node-version", "node-version-file", "cache", "registry-url", "check-latest", "package-manager-cache"],
    run: setupNode,
  },
  "actions/upload-artifact": {
    description: "copies the files into the run's artifacts directory under the artifact's name",
    inputs: ["name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite", "include-hidden-files"],
    run: uploadArtifact,
  },
  "actions/download-artifact": {
    description: "copies artifacts from the run's artifacts directory into path",
    inputs: ["name", "path", "pattern", "merge-multiple", "github-token", "repository", "run-id"],
    run: downloadArtifact,
  },
  "pypa/gh-action-pypi-publish": {
    description: "twine check + twine upload (tools venv) to an index on this machine, skip-existing honoured",
    inputs: [
      "user", "password", "repository-url", "packages-dir", "verify-metadata", "skip-existing",
      "verbose", "print-hash", "attestations",
    ],
    run: publishToIndex,
  },
};

/** The action's name without @ref: "actions/checkout@abc" -> "actions/checkout". */
export function actionName(uses: string): string {
  const at = uses.lastIndexOf("@");
  return at > 0 ? uses.slice(0, at) : uses;
}

/** The substitute for a `uses:` value; local (./), docker:// and unknown actions are errors naming them. */
export function findSubstitute(uses: string, where: string): Substitute {
  if (uses.startsWith("./") || uses.startsWith("docker://")) {
    throw new RunnerError("JR_UNSUPPORTED", `${where}: uses: ${uses} (local/composite or docker actions) is not run by the local job runner`);
  }
  const substitute = SUBSTITUTES[actionName(uses)];
  if (!substitute) {
    throw new RunnerError("JR_UNKNOWN_ACTION", `${where}: uses: ${uses} has no local substitute`, {
      data: { action: actionName(uses), known: Object.keys(SUBSTITUTES) },
    });
  }
  return substitute;
}
