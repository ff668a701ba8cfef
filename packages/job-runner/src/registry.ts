import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import lock from "../registry/package-lock.json" with { type: "json" };
import manifest from "../registry/package.json" with { type: "json" };
import { freePort, superviseServer } from "@pypi-workflows/cli-kit";
import { ERROR_CODES, RunnerError } from "./errors.js";
import { execProgram } from "./exec.js";

export interface LocalRegistryOptions {
  /**
   * Where verdaccio is installed (npm ci of the pinned lock, once). Default
   * $PYPI_WORKFLOWS_CACHE/verdaccio-<lock hash>, else ~/.cache/pypi-workflows/verdaccio-<lock hash>.
   */
  toolsDir?: string;
  /** Environment for npm, pnpm and verdaccio (PATH must reach them). Default process.env. */
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export interface PublishedPackage {
  name: string;
  version: string;
  tarball: string;
}

export interface LocalRegistry {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** For steps: npm_config_registry (so `npx --yes @pypi-workflows/x@V` installs from here). */
  env: Record<string, string>;
  /** pnpm pack (the built dist) + npm publish of every non-private package under `packagesDir`, or `only` these. */
  publishWorkspacePackages(packagesDir: string, only?: string[]): Promise<PublishedPackage[]>;
  /** npm publish of one tarball. */
  publishTarball(tarball: string): Promise<void>;
  /** The registry's log (for error messages). */
  log(): string;
  stop(): Promise<void>;
}

function defaultToolsDir(env: NodeJS.ProcessEnv): string {
  const hash = createHash("sha256").update(JSON.stringify(lock)).digest("hex").slice(0, 12);
  const cache = env.PYPI_WORKFLOWS_CACHE ?? join(homedir(), ".cache", "pypi-workflows");
  return join(cache, `verdaccio-${hash}`);
}

/**
 * Installs verdaccio with the pinned lock (npm ci) unless it is there; returns its bin. Installs go to a private
 * directory renamed into place, so parallel test files on a fresh machine never share a half-made install.
 */
async function installVerdaccio(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const bin = join(dir, "node_modules", "verdaccio", "bin", "verdaccio");
  if (existsSync(join(dir, ".installed"))) return bin;
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.staging-`);
  writeFileSync(join(staging, "package.json"), JSON.stringify(manifest, null, 2));
  writeFileSync(join(staging, "package-lock.json"), JSON.stringify(lock, null, 2));
  const log: string[] = [];
  try {
    await execProgram("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], {
      cwd: staging, env, log: (l) => log.push(l),
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new RunnerError("JR_REGISTRY", `cannot install verdaccio into ${dir}: ${(error as Error).message}\n${log.join("\n")}`);
  }
  writeFileSync(join(staging, ".installed"), "");
  try {
    renameSync(staging, dir);
  } catch {
    // Another process installed it first, or a broken install (no marker) is in the way: replace that one.
    if (!existsSync(join(dir, ".installed"))) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    } else rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}

/** Anyone may read and publish; no uplinks, so a name not published here is a 404, never a public download. */
function writeConfig(root: string): string {
  const file = join(root, "config.yaml");
  writeFileSync(file, [
    `storage: ${join(root, "storage")}`,
    "auth:", "  htpasswd:", `    file: ${join(root, "htpasswd")}`,
    "uplinks: {}",
    "packages:", "  '**':", "    access: $all", "    publish: $all", "    unpublish: $all",
    "web:", "  enable: false",
    "log: { type: stdout, format: pretty, level: warn }",
    "",
  ].join("\n"));
  return file;
}

/**
 * Starts a real npm registry (verdaccio) on a free 127.0.0.1 port with its storage in a temp directory.
 * Stop it with stop(); it is also killed when this process exits.
 */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const env = options.env ?? process.env;
  const bin = await installVerdaccio(options.toolsDir ?? defaultToolsDir(env), env);
  const root = mkdtempSync(join(tmpdir(), "job-runner-registry-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(process.execPath, [bin, "--config", writeConfig(root), "--listen", `127.0.0.1:${port}`], {
    cwd: root, env, stdio: ["ignore", "pipe", "pipe"],
  });
  const server = await superviseServer(child, `${url}-/ping`, {
    name: "verdaccio",
    code: "JR_REGISTRY",
    hint: ERROR_CODES.JR_REGISTRY!.fix,
    timeoutMs: options.startTimeoutMs ?? 30_000,
  }).catch(
    (error: unknown) => {
      rmSync(root, { recursive: true, force: true });
      throw error;
    },
  );
  const { output } = server;
  // npm refuses to publish without a credential for the registry; verdaccio (publish: $all) ignores it.
  const npmrc = join(root, "npmrc");
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=local-registry\n`);
  const npmEnv = { ...env, npm_config_userconfig: npmrc, npm_config_cache: join(root, "npm-cache") };
  const publishTarball = async (tarball: string) => {
    const log: string[] = [];
    try {
      await execProgram("npm", ["publish", tarball, "--registry", url, "--access", "public", "--provenance=false"], {
        cwd: root, env: npmEnv, log: (l) => log.push(l),
      });
    } catch (error) {
      throw new RunnerError("JR_REGISTRY", `cannot publish ${tarball}: ${(error as Error).message}\n${log.join("\n")}\n${output.join("")}`);
    }
  };
  return {
    url,
    env: { npm_config_registry: url },
    publishTarball,
    publishWorkspacePackages: (packagesDir, only) => publishPackages(packagesDir, only, join(root, "tarballs"), env, publishTarball),
    log: () => output.join(""),
    stop: async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function publishPackages(
  packagesDir: string, only: string[] | undefined, tarballs: string, env: NodeJS.ProcessEnv,
  publish: (tarball: string) => Promise<void>,
): Promise<PublishedPackage[]> {
  mkdirSync(tarballs, { recursive: true });
  const published: PublishedPackage[] = [];
  for (const dir of readdirSync(packagesDir).sort()) {
    const file = join(packagesDir, dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name: string; version: string; private?: boolean };
    if (only ? !only.includes(pkg.name) : pkg.private) continue;
    if (!existsSync(join(packagesDir, dir, "dist"))) {
      throw new RunnerError("JR_REGISTRY", `${pkg.name} has no dist/: build the workspace first (pnpm build)`);
    }
    const before = new Set(readdirSync(tarballs));
    const log: string[] = [];
    await execProgram("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(packagesDir, dir), env, log: (l) => log.push(l) }).catch((error: unknown) => {
      throw new RunnerError("JR_REGISTRY", `cannot pack ${pkg.name}: ${(error as Error).message}\n${log.join("\n")}`);
    });
    const tarball = readdirSync(tarballs).find((f) => !before.has(f));
    if (!tarball) throw new RunnerError("JR_REGISTRY", `pnpm pack made no tarball for ${pkg.name}`);
    await publish(join(tarballs, tarball));
    published.push({ name: pkg.name, version: pkg.version, tarball: join(tarballs, tarball) });
  }
  return published;
}

/**
 * The helper packages a directory of workflows calls (`npx --yes @pypi-workflows/x@V`), sorted: only those
 * need packing and serving, and only those are sure to be built before a package that depends on them.
 */
export function helpersNamedIn(workflowsDir: string): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const [, name] of readFileSync(join(workflowsDir, file), "utf8").matchAll(/npx --yes (@pypi-workflows\/[a-z0-9-]+)@/g)) names.add(name!);
  }
  return [...names].sort();
}

/**
 * A local registry serving the helpers the workflows in `workflowsDir` call (helpersNamedIn), packed from
 * `packagesDir` (a built workspace's packages/): what a run of those workflows needs. Stopped again if a
 * helper cannot be packed or published.
 */
export async function startHelpersRegistry(
  packagesDir: string, workflowsDir: string, options: LocalRegistryOptions = {},
): Promise<LocalRegistry> {
  const registry = await startLocalRegistry(options);
  try {
    await registry.publishWorkspacePackages(packagesDir, helpersNamedIn(workflowsDir));
  } catch (error) {
    await registry.stop();
    throw error;
  }
  return registry;
}
