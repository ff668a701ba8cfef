import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { NoWorkspaceError } from "./errors.js";

export interface HelperPackage {
  /** "@pypi-workflows/version-util" */
  name: string;
  version: string;
  private: boolean;
}

/** The nearest directory at or above `from` with pnpm-workspace.yaml and packages/. */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml")) && existsSync(join(dir, "packages"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new NoWorkspaceError(from);
    dir = parent;
  }
}

/** Every package under packages/ by name: the one source of truth for the versions workflows call. */
export function readWorkspacePackages(root: string): Map<string, HelperPackage> {
  const packages = new Map<string, HelperPackage>();
  const dir = join(root, "packages");
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name, "package.json");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string; private?: boolean };
    if (pkg.name && pkg.version) packages.set(pkg.name, { name: pkg.name, version: pkg.version, private: pkg.private === true });
  }
  return packages;
}
