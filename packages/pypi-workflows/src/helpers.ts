import { join } from "node:path";
import { UsageError } from "@pypi-workflows/cli-kit";
import { startHelpersRegistry } from "@pypi-workflows/job-runner";
import { rehearsalError } from "./errors.js";
import type { Assets } from "./paths.js";

/** Where the workflows' `npx --yes @pypi-workflows/x@V` find the helper CLIs. */
export type HelperSource = "workspace" | "npm";

export interface ProvidedHelpers {
  /** Variables for every step (npm_config_registry for the local registry). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * workspace: a local npm registry (verdaccio, no uplinks) holding this repository's packed helpers, so the
 * YAML's pinned versions resolve to this code; npm: the real registry at the YAML's pinned versions.
 */
export async function provideHelpers(source: HelperSource | undefined, assets: Assets, env: NodeJS.ProcessEnv): Promise<ProvidedHelpers> {
  const chosen = source ?? (assets.workspaceRoot ? "workspace" : "npm");
  if (chosen === "npm") return { env: {}, stop: async () => {} };
  if (!assets.workspaceRoot) {
    throw new UsageError("--helpers workspace works only from a checkout of the pypi-workflows repository", "use --helpers npm");
  }
  try {
    const registry = await startHelpersRegistry(join(assets.workspaceRoot, "packages"), assets.workflowsDir, { env });
    return { env: registry.env, stop: () => registry.stop() };
  } catch (error) {
    throw rehearsalError("PW_HELPERS", `cannot serve this workspace's helpers: ${(error as Error).message}`);
  }
}
