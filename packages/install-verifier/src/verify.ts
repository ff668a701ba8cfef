import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { normalizeProjectName, resolveIndex } from "@pypi-workflows/index-client";
import { isValidVersion, normalizeVersion } from "@pypi-workflows/version-util";
import { basename, join, resolve } from "node:path";
import type { CheckPlan } from "./checks.js";
import { findDistFiles } from "./dist-dir.js";
import { sameVersion } from "./inspect.js";
import { verifyInEnvironment, type EnvironmentContext, type EnvironmentOutcome } from "./environment.js";
import { buildWheelArgv, chooseInstaller, runArgv } from "./installer.js";
import { readManifest } from "./manifest.js";
import { resolveCommon, type CommonOptions, type ResolvedCommon, type VerifyDistOptions, type VerifyPublishedOptions } from "./options.js";
import { probePython } from "./python.js";
import { buildReport, type VerifyReport } from "./report-data.js";
import { countAttempts, waitForRelease } from "./poll-index.js";
import { processOutput, timeStep, type StepReport } from "./steps.js";
import { UsageError } from "@pypi-workflows/cli-kit";

interface Session extends EnvironmentContext {
  common: ResolvedCommon;
  started: number;
}

/** Probes the interpreter, picks the installer and makes the temporary working directory (outside the checkout). */
async function openSession(options: CommonOptions, common: ResolvedCommon): Promise<Session> {
  const started = performance.now();
  const python = await probePython({ python: options.python, baseDir: options.cwd, cwd: common.tempRoot, env: options.env, platform: common.platform });
  const installer = chooseInstaller(options.installer ?? "auto", python, options.env, common.platform);
  const workDir = mkdtempSync(join(common.tempRoot, "install-verifier-"));
  return { installer, workDir, env: options.env, platform: common.platform, common, started };
}

function checkPlan(options: CommonOptions, common: ResolvedCommon, name: string, version: string): CheckPlan {
  return {
    name,
    version,
    imports: options.imports,
    entryPointArgs: common.entryPointArgs,
    smoke: options.smoke ?? [],
    concurrency: common.concurrency,
    stepTimeoutMs: common.stepTimeoutMs,
  };
}

/** Before publishing: install the built wheel (and, with `sdist`, a wheel built from the sdist) and check it. */
export async function verifyDist(options: VerifyDistOptions): Promise<VerifyReport> {
  const common = resolveCommon(options);
  const files = findDistFiles(options.dist, options.cwd);
  if (options.sdist && !files.sdist) throw new UsageError(`--sdist: no sdist (.tar.gz) in ${files.dir}`, "build it with python -m build (both sdist and wheel)");
  const session = await openSession(options, common);
  try {
    const plan = checkPlan(options, session.common, files.name, files.version);
    const deps = session.common.depsIndexUrl;
    const wheel = verifyInEnvironment(
      {
        label: "wheel",
        install: { requirements: [`${files.name}==${files.version}`], findLinks: files.dir, onlyBinary: true, noCache: true },
        // With several wheels (platforms), the installer picks the one for this environment.
        installWhat: files.wheels.length === 1 ? basename(files.wheels[0]!) : `${files.name}==${files.version} (one of ${files.wheels.length} wheels)`,
        depsIndexUrl: deps,
        plan,
      },
      session,
    );
    const sdist = options.sdist ? verifySdist(files.sdist!, plan, options, session) : Promise.resolve(undefined);
    const outcomes = (await Promise.all([wheel, sdist])).filter((o): o is EnvironmentOutcome => o !== undefined);
    return buildReport({ mode: "dist", name: files.name, version: files.version, session, outcomes, depsIndexUrl: deps });
  } finally {
    rmSync(session.workDir, { recursive: true, force: true });
  }
}

/** Builds a wheel from the sdist alone (what users without a wheel get), then verifies it in its own environment. */
async function verifySdist(sdist: string, plan: CheckPlan, options: VerifyDistOptions, session: Session): Promise<EnvironmentOutcome> {
  const outDir = join(session.workDir, "sdist-wheel");
  const argv = buildWheelArgv(session.installer, { sdist, outDir, noBuildIsolation: options.noBuildIsolation ?? false, indexUrl: session.common.depsIndexUrl });
  const build = await timeStep(`sdist: build a wheel from ${basename(sdist)}`, async () => {
    const result = await runArgv(argv, session.workDir, session.env, 900_000);
    return result.exitCode === 0 ? { ok: true } : { ok: false, code: "IV_SDIST_BUILD_FAILED", detail: `the build exited ${result.exitCode}`, output: processOutput(result) };
  });
  const built = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith(".whl")) : [];
  if (build.status === "ok" && built.length === 0) Object.assign(build, { status: "failed", code: "IV_SDIST_BUILD_FAILED", detail: "the build wrote no wheel" });
  if (build.status !== "ok") return { steps: [build], installable: false };
  const outcome = await verifyInEnvironment(
    {
      label: "sdist",
      install: { requirements: built.map((f) => join(outDir, f)), noCache: true },
      installWhat: built.join(", "),
      depsIndexUrl: session.common.depsIndexUrl,
      plan,
    },
    session,
  );
  return { steps: [build, ...outcome.steps], installable: outcome.installable };
}

/** After publishing: wait until the index lists the release, then install exactly NAME==VERSION from it and check. */
export async function verifyPublished(options: VerifyPublishedOptions): Promise<VerifyReport> {
  const common = resolveCommon(options);
  const index = resolveIndex({ target: options.target, indexUrl: options.indexUrl });
  const manifest = options.manifest ? await readManifest(resolve(options.cwd, options.manifest)) : undefined;
  const name = options.name ?? manifest?.name;
  const given = options.version ?? manifest?.version;
  // The requirement and the report use the canonical form (v1.2.3-RC.1 -> 1.2.3rc1).
  const version = given && isValidVersion(given) ? normalizeVersion(given) : given;
  if (!name || !version) throw new UsageError("--name and --version are required (or a --manifest that gives them)", "e.g. --name mypkg --version 1.2.3");
  if (manifest && (normalizeProjectName(manifest.name) !== normalizeProjectName(name) || !sameVersion(manifest.version, version))) {
    throw new UsageError(`the manifest is for ${manifest.name} ${manifest.version}, not ${name} ${version}`, "pass the manifest of the release to verify, or leave out --name/--version");
  }
  const session = await openSession(options, common);
  try {
    const expected = manifest?.files.map((f) => ({ filename: f.filename, sha256: f.sha256.toLowerCase() }));
    let published = false;
    const poll = await timeStep(`index: wait for ${name} ${version} on ${index.simpleUrl}`, async () => {
      const result = await waitForRelease({
        simpleUrl: index.simpleUrl,
        name,
        version,
        expected,
        timeoutMs: (options.timeoutSeconds ?? 1200) * 1000,
        clock: options.clock,
        initialDelayMs: options.pollInitialDelayMs,
        onProgress: options.onProgress,
      });
      published = result.published;
      return { ok: result.published, detail: `${result.detail} (${countAttempts(result.attempts)})`, code: result.code };
    });
    const outcomes: EnvironmentOutcome[] = [{ steps: [poll], installable: false }];
    if (published) {
      outcomes.push(await installFromIndex(name, version, index.simpleUrl, expected, options, session));
    }
    return buildReport({ mode: "index", name, version, session, outcomes, published, indexUrl: index.simpleUrl, depsIndexUrl: session.common.depsIndexUrl });
  } finally {
    rmSync(session.workDir, { recursive: true, force: true });
  }
}

function installFromIndex(name: string, version: string, indexUrl: string, expected: { sha256: string }[] | undefined, options: CommonOptions, session: Session): Promise<EnvironmentOutcome> {
  const requirement = `${name}==${version}`;
  // With a manifest, the installer itself must refuse any bytes whose sha256 is not one of the built files'.
  let hashedRequirementsFile: string | undefined;
  if (expected?.length) {
    hashedRequirementsFile = join(session.workDir, "pinned-requirements.txt");
    writeFileSync(hashedRequirementsFile, `${requirement} ${expected.map((e) => `--hash=sha256:${e.sha256}`).join(" ")}\n`);
  }
  return verifyInEnvironment(
    {
      label: "index",
      install: { requirements: hashedRequirementsFile ? [] : [requirement], indexUrl, noCache: true, hashedRequirementsFile },
      installWhat: `${requirement} from ${indexUrl}${hashedRequirementsFile ? " with the manifest's sha256 pinned" : ""}`,
      depsIndexUrl: session.common.depsIndexUrl,
      plan: checkPlan(options, session.common, name, version),
    },
    session,
  );
}

export type { StepReport };
