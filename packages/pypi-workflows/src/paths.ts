import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the workflows, the pinned Python requirements and the helpers come from. */
export interface Assets {
  /** The directory holding build.yml, testpypi.yml, pypi.yml and release.yml. */
  workflowsDir: string;
  /** tools/python/requirements.txt (or the copy shipped in dist/assets). */
  requirements: string;
  /** This repository's root when running from a checkout of it (workspace helpers, tools/python scripts). */
  workspaceRoot?: string;
}

function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const markers = ["pnpm-workspace.yaml", ".github/workflows/build.yml", "tools/python/setup.sh"];
    if (markers.every((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * In this repository the workflows and requirements are read where they live (one source); the published
 * package carries copies made at build time in dist/assets (scripts/copy-assets.mjs).
 */
export function locateAssets(moduleUrl: string = import.meta.url): Assets {
  const here = dirname(fileURLToPath(moduleUrl));
  const root = findWorkspaceRoot(here);
  if (root) {
    return {
      workflowsDir: join(root, ".github", "workflows"),
      requirements: join(root, "tools", "python", "requirements.txt"),
      workspaceRoot: root,
    };
  }
  // dist/ (the library), dist/bin/ (the CLI), or src/ when run from the sources.
  const assets = [join(here, "assets"), join(here, "..", "assets"), join(here, "..", "dist", "assets")].find((dir) => existsSync(dir)) ?? join(here, "assets");
  return { workflowsDir: join(assets, "workflows"), requirements: join(assets, "requirements.txt") };
}
