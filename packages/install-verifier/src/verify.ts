import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { IndexUnreachableError, normalizeProjectName, parseDistFilename, resolveIndex, sha256OfIndexFile, type IndexFile } from "@pypi-workflows/index-client";
import { isValidVersion, normalizeVersion } from "@pypi-workflows/version-util";
import { basename, join, resolve } from "node:path";
import type { CheckPlan } from "./checks.js";
import { findDistFiles } from "./dist-dir.js";
import { sameVersion } from "./inspect.js";
import { verifyInEnvironment, type EnvironmentContext, type EnvironmentOutcome } from "./environment.js";
import { buildWheelArgv, chooseInstaller, runArgv } from "./installer.js";
import { VerifierEnvironmentError } from "./errors.js";
import { readManifest } from "./manifest.js";
import { resolveCommon, type CommonOptions, type ResolvedCommon, type VerifyDistOptions, type VerifyPublishedOptions } from "./options.js";
import { probePython } from "./python.js";
import { buildReport, type VerifyReport } from "./report-data.js";
import { countAttempts, waitForRelease, type ExpectedFile, type PollResult, type SavedFile } from "./poll-index.js";
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
    const sdist = options.sdist ? verifySdist(files.sdist!, plan, session, { label: "sdist", noBuildIsolation: options.noBuildIsolation ?? false }) : Promise.resolve(undefined);
    const outcomes = (await Promise.all([wheel, sdist])).filter((o): o is EnvironmentOutcome => o !== undefined);
    return buildReport({ mode: "dist", name: files.name, version: files.version, session, outcomes, depsIndexUrl: deps });
  } finally {
    rmSync(session.workDir, { recursive: true, force: true });
  }
}

interface SdistBuild {
  /** Step prefix and directory name: "sdist" (--dist --sdist) or "index" (a release without a wheel). */
  label: string;
  noBuildIsolation: boolean;
  /** Said after the build step's name, e.g. where the build requirements come from. */
  note?: string;
}

/**
 * Builds a wheel from the sdist alone (what users without a wheel get), with build requirements from the deps
 * index only, then verifies it in its own environment.
 */
async function verifySdist(sdist: string, plan: CheckPlan, session: Session, how: SdistBuild): Promise<EnvironmentOutcome> {
  const outDir = join(session.workDir, `${how.label}-wheel`);
  const argv = buildWheelArgv(session.installer, { sdist, outDir, noBuildIsolation: how.noBuildIsolation, indexUrl: session.common.depsIndexUrl });
  const build = await timeStep(`${how.label}: build a wheel from ${basename(sdist)}${how.note ? ` (${how.note})` : ""}`, async () => {
    const result = await runArgv(argv, session.workDir, session.env, 900_000);
    return result.exitCode === 0 ? { ok: true } : { ok: false, code: "IV_SDIST_BUILD_FAILED", detail: `the build exited ${result.exitCode}`, output: processOutput(result) };
  });
  const built = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith(".whl")) : [];
  if (build.status === "ok" && built.length === 0) Object.assign(build, { status: "failed", code: "IV_SDIST_BUILD_FAILED", detail: "the build wrote no wheel" });
  if (build.status !== "ok") return { steps: [build], installable: false };
  const outcome = await verifyInEnvironment(
    {
      label: how.label,
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
    // Files the index lists without a hash are downloaded while polling; kept here, they are not fetched twice.
    const downloads = join(session.workDir, "index-download");
    mkdirSync(downloads, { recursive: true });
    let polled: PollResult | undefined;
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
        saveDir: downloads,
      });
      polled = result;
      return { ok: result.published, detail: `${result.detail} (${countAttempts(result.attempts)})`, code: result.code };
    });
    const outcomes: EnvironmentOutcome[] = [{ steps: [poll], installable: false }];
    let published = polled?.published ?? false;
    if (polled?.published) {
      const release = { name, version, indexUrl: index.simpleUrl, expected, listed: polled.files, saved: polled.saved ?? [], downloads };
      const installed = await installFromIndex(release, options, session);
      outcomes.push(installed);
      // The bytes the installer (or our download) got are not the manifest's: the right file is not there.
      if (installed.steps.some((s) => s.code === "IV_HASH_MISMATCH")) published = false;
    }
    return buildReport({ mode: "index", name, version, session, outcomes, published, indexUrl: index.simpleUrl, depsIndexUrl: session.common.depsIndexUrl });
  } finally {
    rmSync(session.workDir, { recursive: true, force: true });
  }
}

interface IndexRelease {
  name: string;
  version: string;
  indexUrl: string;
  /** The manifest's files, when one was given. */
  expected: ExpectedFile[] | undefined;
  /** The index's files of this version, as the poll last saw them. */
  listed: IndexFile[];
  /** Files the poll downloaded (the index gave no hash), kept, with the manifest's sha256. */
  saved: SavedFile[];
  /** Where downloaded files are kept. */
  downloads: string;
}

function kindOf(filename: string): "wheel" | "sdist" | undefined {
  return parseDistFilename(filename)?.kind;
}

/**
 * Installs exactly NAME==VERSION from the index. Wheels only when the release has a wheel: building from an
 * sdist would fetch the build backend from the package's index, where anyone can upload "hatchling".
 */
function installFromIndex(release: IndexRelease, options: CommonOptions, session: Session): Promise<EnvironmentOutcome> {
  const { name, version, indexUrl, expected } = release;
  const hasWheel = expected ? expected.some((e) => kindOf(e.filename) === "wheel") : release.listed.some((f) => kindOf(f.filename) === "wheel");
  if (!hasWheel && indexUrl !== session.common.depsIndexUrl) return installSdistFromIndex(release, options, session);
  const requirement = `${name}==${version}`;
  // With a manifest, the installer itself must refuse any bytes whose sha256 is not one of the built files'.
  let hashedRequirementsFile: string | undefined;
  if (expected?.length) {
    hashedRequirementsFile = join(session.workDir, "pinned-requirements.txt");
    writeFileSync(hashedRequirementsFile, `${requirement} ${expected.map((e) => `--hash=sha256:${e.sha256}`).join(" ")}\n`);
  }
  const notes = [hasWheel ? "wheels only" : "", hashedRequirementsFile ? "with the manifest's sha256 pinned" : ""].filter(Boolean).join(", ");
  return verifyInEnvironment(
    {
      label: "index",
      install: { requirements: hashedRequirementsFile ? [] : [requirement], indexUrl, onlyBinary: hasWheel, noCache: true, hashedRequirementsFile },
      installWhat: `${requirement} from ${indexUrl}${notes ? ` (${notes})` : ""}`,
      depsIndexUrl: session.common.depsIndexUrl,
      plan: checkPlan(options, session.common, name, version),
    },
    session,
  );
}

/**
 * A release without a wheel, on an index other than the dependencies' one: the sdist is downloaded from the
 * index (or taken from the poll, which downloaded it already when the index gave no hash) and its sha256
 * checked here, then built like `--sdist` builds one: build requirements from the deps index only.
 */
async function installSdistFromIndex(release: IndexRelease, options: CommonOptions, session: Session): Promise<EnvironmentOutcome> {
  const { name, version, indexUrl, expected } = release;
  const deps = session.common.depsIndexUrl;
  const wanted = expected?.find((e) => kindOf(e.filename) === "sdist")?.filename;
  const file = release.listed.find((f) => (wanted ? f.filename === wanted : kindOf(f.filename) === "sdist"));
  const saved = file && release.saved.find((s) => s.filename === file.filename);
  const local = saved?.path ?? (file ? join(release.downloads, basename(file.filename)) : "");
  const download = await timeStep(`index: download ${file?.filename ?? "the sdist"} from ${indexUrl}`, async () => {
    if (!file) return { ok: false, code: "IV_INSTALL_FAILED", detail: `no wheel and no sdist of ${name} ${version} listed` };
    // The poll downloaded it (the index gave no hash) and found the manifest's sha256: not fetched again.
    if (saved) return { ok: true, detail: `sha256 ${saved.sha256}: matches the manifest's (downloaded once, while waiting for the release)` };
    const actual = await sha256OfIndexFile(file.url, { saveTo: local, timeoutMs: 600_000 }).catch((error: unknown) => {
      // The index listed the file but does not serve it: its own code, as when it never answers the poll.
      if (error instanceof IndexUnreachableError) throw new VerifierEnvironmentError("IV_INDEX_UNREACHABLE", `cannot download ${file.filename}: ${error.message}`);
      throw error;
    });
    const sha256 = expected?.find((e) => e.filename === file.filename)?.sha256 ?? file.sha256;
    const source = expected ? "the manifest's" : "the index's";
    if (!sha256) return { ok: true, detail: `sha256 ${actual} (the index gives none and there is no manifest: not compared)` };
    return actual === sha256.toLowerCase()
      ? { ok: true, detail: `sha256 ${actual}: matches ${source}` }
      : { ok: false, code: "IV_HASH_MISMATCH", detail: `downloaded sha256 ${actual}, ${source} ${sha256}` };
  });
  if (download.status !== "ok") return { steps: [download], installable: false };
  // The package's index is never asked for build requirements: anyone can upload "hatchling" there.
  const outcome = await verifySdist(local, checkPlan(options, session.common, name, version), session, {
    label: "index",
    noBuildIsolation: false,
    note: `no wheel on the index: build requirements from ${deps} only`,
  });
  return { steps: [download, ...outcome.steps], installable: outcome.installable };
}

export type { StepReport };
