import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { VersionUtilError } from "./errors.js";
import { parseVersion, PYTHON_WHITESPACE } from "./pep440.js";
import { readPyproject, stringAt, tableAt, type Table } from "./pyproject.js";
import { parseSetupCfg } from "./setup-cfg.js";
import { assignmentPattern, findVersionInFile, HATCH_DEFAULT_PATTERN, hatchPattern, type VersionLocation } from "./version-file.js";

export type VersionSource =
  | "project"
  | "poetry"
  | "hatch-path"
  | "setuptools-attr"
  | "setuptools-file"
  | "setuptools-scm"
  | "hatch-vcs"
  | "flit"
  | "pdm-file"
  | "pdm-scm"
  | "setup-cfg"
  | "setup-cfg-attr"
  | "setup-cfg-file";

/** How a project declares its version, before any git lookup. */
export interface VersionDeclaration {
  dir: string;
  name: string | undefined;
  source: VersionSource;
  /** True when the version comes from git tags (setuptools-scm, hatch-vcs). */
  scm: boolean;
  /** Where the version is written (static sources). */
  location?: VersionLocation;
  /** The version as written there (static sources). */
  declared?: string;
  /**
   * Other places that declare the same version and must keep agreeing with it (a literal `__version__`
   * in the package, [tool.poetry] version beside [project] version): a bump writes them too.
   */
  also?: VersionLocation[];
}

const SCM_REQUIREMENT = /^\s*setuptools[-_]scm\b/i;

/**
 * The project's name as its build backend reads it: [project] name, else [tool.poetry] name, else setup.cfg's
 * [metadata] name (a setuptools project configured there). Undefined when none is set (or there is no
 * pyproject.toml); a pyproject.toml or setup.cfg that cannot be read throws.
 */
export function readProjectName(dir: string): string | undefined {
  if (!isFile(join(dir, "pyproject.toml"))) return undefined;
  const { data } = readPyproject(dir);
  const declared = stringOf(tableAt(data, ["project"])?.name) ?? stringAt(data, ["tool", "poetry", "name"]);
  if (declared !== undefined || tableAt(data, ["project"])) return declared;
  const cfg = join(dir, "setup.cfg");
  return isFile(cfg) ? parseSetupCfg(readFileSync(cfg, "utf8"), cfg).get("metadata")?.get("name")?.value : undefined;
}

/** Reads pyproject.toml (and the file it points to) and tells where the version comes from. */
export function findVersionDeclaration(dir: string): VersionDeclaration {
  const { path, data } = readPyproject(dir);
  const project = tableAt(data, ["project"]);
  const name = stringOf(project?.name) ?? stringAt(data, ["tool", "poetry", "name"]);
  const dynamic = Array.isArray(project?.dynamic) && project.dynamic.includes("version");
  const staticVersion = versionString(project?.version, "[project] version", path);
  const poetryVersion = versionString(tableAt(data, ["tool", "poetry"])?.version, "[tool.poetry] version", path);
  const base = { dir, name };
  if (staticVersion !== undefined) {
    if (dynamic) {
      throw new VersionUtilError("VU_VERSION_CONFLICT", `${path} sets [project] version and also lists "version" in dynamic`, {
        hint: 'keep one: remove version from [project] or "version" from dynamic',
      });
    }
    const also: VersionLocation[] = [];
    if (poetryVersion !== undefined) {
      checkAgree(staticVersion, "[project] version", poetryVersion, "[tool.poetry] version", {
        hint: `remove version from [tool.poetry] (Poetry 2 reads [project] version), or set both to the same version`,
      });
      also.push(toml(path, ["tool", "poetry"]));
    }
    const declaration = { ...base, source: "project" as const, scm: false, declared: staticVersion, location: toml(path, ["project"]) };
    return { ...declaration, also: [...also, ...checkDunderVersions(declaration, data)] };
  }
  const dynamicSource = dynamic ? findDynamicSource(dir, path, data) : undefined;
  if (dynamicSource) return { ...base, ...dynamicSource };
  if (poetryVersion !== undefined) {
    const declaration = { ...base, source: "poetry" as const, scm: false, declared: poetryVersion, location: toml(path, ["tool", "poetry"]) };
    return { ...declaration, also: checkDunderVersions(declaration, data) };
  }
  // A setuptools project configured in setup.cfg (pyproject.toml holding only [build-system]).
  if (!project) {
    const cfg = setupCfgSource(dir);
    if (cfg) return { dir, ...cfg };
  }
  if (dynamic) {
    throw new VersionUtilError("VU_UNKNOWN_DYNAMIC_VERSION", `${path} lists "version" in dynamic, but configures no version source version-util knows`);
  }
  // setup.py may well pass version= to setup(): that is code, which version-util does not run.
  const setupPy = !project && isFile(join(dir, "setup.py"));
  throw new VersionUtilError(
    "VU_NO_VERSION",
    `${path} declares no version ([project] version, dynamic version or [tool.poetry] version)${setupPy ? ", and setup.cfg none ([metadata] version)" : ""}`,
    setupPy ? { hint: "move the version out of setup.py (Python code, which version-util does not run) into setup.cfg: [metadata] version = 1.2.3, or attr: pkg.__version__, or file: VERSION" } : {},
  );
}

function findDynamicSource(dir: string, path: string, data: Table): Omit<VersionDeclaration, "dir" | "name"> | undefined {
  const hatch = tableAt(data, ["tool", "hatch", "version"]);
  if (hatch?.source === "vcs") return { source: "hatch-vcs", scm: true };
  if (hatch && typeof hatch.path === "string" && (hatch.source === undefined || hatch.source === "regex")) {
    const file = join(dir, hatch.path);
    const pattern = typeof hatch.pattern === "string" && hatch.pattern ? hatchPattern(hatch.pattern, hatch.path) : HATCH_DEFAULT_PATTERN;
    return staticFrom("hatch-path", { kind: "python", file, pattern }, dir);
  }
  if (tableAt(data, ["tool", "setuptools_scm"]) || tableAt(data, ["tool", "setuptools-scm"])) return { source: "setuptools-scm", scm: true };
  const setuptools = tableAt(data, ["tool", "setuptools", "dynamic", "version"]);
  if (typeof setuptools?.attr === "string") {
    return staticFrom("setuptools-attr", attrLocation(dir, path, setuptools.attr, data), dir);
  }
  const file = Array.isArray(setuptools?.file) ? setuptools.file[0] : setuptools?.file;
  if (typeof file === "string") return staticFrom("setuptools-file", { kind: "text", file: join(dir, file) }, dir);
  if (tableAt(data, ["build-system"])?.["build-backend"] === "pdm.backend") {
    const pdm = tableAt(data, ["tool", "pdm", "version"]);
    if (pdm?.source === "scm") return { source: "pdm-scm", scm: true };
    if (pdm?.source === "file" && typeof pdm.path === "string") return staticFrom("pdm-file", { kind: "python", file: join(dir, pdm.path), pattern: PDM_FILE_VERSION }, dir);
    throw new VersionUtilError("VU_UNKNOWN_DYNAMIC_VERSION", `${path} lists "version" in dynamic, but [tool.pdm.version] ${pdm ? `has source ${JSON.stringify(pdm.source)}` : "is missing"}: version-util reads source = "file" (with path) and "scm"`, {
      hint: pdm ? 'use source = "file" with path = "src/pkg/__init__.py", or source = "scm" (a "call" source runs project code, which version-util does not)' : 'add [tool.pdm.version] with source = "scm" or source = "file" and path (without it pdm-backend builds version 0.0.0)',
    });
  }
  if (FLIT_BACKENDS.has(String(tableAt(data, ["build-system"])?.["build-backend"]))) {
    return staticFrom("flit", flitLocation(dir, path, data), dir);
  }
  const requires = tableAt(data, ["build-system"])?.requires;
  if (Array.isArray(requires) && requires.some((r) => typeof r === "string" && SCM_REQUIREMENT.test(r))) {
    return { source: "setuptools-scm", scm: true };
  }
  return undefined;
}

function staticFrom(source: VersionSource, location: Exclude<VersionLocation, { kind: "toml" }>, dir: string) {
  return { source, scm: false, location, declared: findVersionInFile(location, dir).value };
}

/** setuptools `attr: pkg.module.NAME`: the module's file under package-dir, src/ or the root. */
function attrLocation(dir: string, path: string, attr: string, data: Table): Exclude<VersionLocation, { kind: "toml" }> {
  const parts = attr.split(".");
  const name = parts.pop()!;
  const packageDir = tableAt(data, ["tool", "setuptools", "package-dir"]);
  const roots = [typeof packageDir?.[""] === "string" ? packageDir[""] : undefined, "src", "."].filter((r): r is string => r !== undefined);
  const modulePath = parts.join("/");
  for (const root of roots) {
    for (const candidate of [`${modulePath}/__init__.py`, `${modulePath}.py`]) {
      const file = join(dir, root, candidate);
      if (existsSync(file)) return { kind: "python", file, pattern: assignmentPattern(name) };
    }
  }
  throw new VersionUtilError("VU_VERSION_FILE", `${path}: attr "${attr}" names module ${parts.join(".")}, which is not in ${roots.join(", ")}`, {
    data: { attr },
  });
}

/**
 * setup.cfg's [metadata] version, as setuptools reads it (setuptools.config.setupcfg): `attr: pkg.module.NAME`
 * (the module found through [options] package_dir), `file: PATH`, or the version itself. Undefined when there is
 * no setup.cfg or it sets no version.
 */
function setupCfgSource(dir: string): Omit<VersionDeclaration, "dir"> | undefined {
  const file = join(dir, "setup.cfg");
  if (!isFile(file)) return undefined;
  const cfg = parseSetupCfg(readFileSync(file, "utf8"), file);
  const metadata = cfg.get("metadata");
  const version = metadata?.get("version");
  if (!version) return undefined;
  const name = metadata?.get("name")?.value;
  const base = { name, scm: false };
  const value = version.value;
  if (value.includes("%") || value.includes("\n")) {
    throw new VersionUtilError("VU_VERSION_FILE", `setup.cfg's version ${JSON.stringify(value)} is not one plain value (a % interpolation or several lines)`, {
      hint: "write the version on one line, as 1.2.3, attr: pkg.__version__ or file: VERSION",
    });
  }
  if (value.startsWith("attr:")) {
    const packageDir: Record<string, string> = {};
    for (const line of (cfg.get("options")?.get("package_dir")?.value ?? "").split("\n")) {
      const at = line.indexOf("=");
      if (at !== -1) packageDir[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    const location = attrLocation(dir, file, value.slice(5).trim(), { tool: { setuptools: { "package-dir": packageDir } } });
    return { ...base, ...staticFrom("setup-cfg-attr", location, dir) };
  }
  if (value.startsWith("file:")) {
    const files = value.slice(5).split(",").map((f) => f.trim());
    if (files.length !== 1) {
      throw new VersionUtilError("VU_VERSION_FILE", `setup.cfg's version reads ${files.length} files (${value}): version-util reads one`, {
        hint: "name one file: version = file: VERSION",
      });
    }
    return { ...base, ...staticFrom("setup-cfg-file", { kind: "text", file: join(dir, files[0] as string) }, dir) };
  }
  return { ...base, source: "setup-cfg", declared: value, location: { kind: "cfg", file, section: "metadata", key: "version" } };
}

const FLIT_BACKENDS = new Set(["flit_core.buildapi", "flit.buildapi"]);

/**
 * flit_core's dynamic version: `__version__` in the module it packages (flit_core.common.Module). The module is
 * [tool.flit.module] name, else the project name with - as _; it is a package directory or a .py file, at the top or
 * under src/, and exactly one of the four. A package's version files are __version__.py, _version.py, version.py
 * and __init__.py, where a later file's version wins; in each, the first top-level `__version__ = "..."` counts. A
 * version flit would have to import the module to find (an expression, an import) is not read: such a project
 * gets a clear error.
 */
function flitLocation(dir: string, path: string, data: Table): Exclude<VersionLocation, { kind: "toml" }> {
  const projectName = stringOf(tableAt(data, ["project"])?.name);
  const configured = stringOf(tableAt(data, ["tool", "flit", "module"])?.name);
  if (!configured && !projectName) throw new VersionUtilError("VU_VERSION_FILE", `${path} has no [project] name, which flit needs to find the module`);
  const module = configured ?? (projectName!.endsWith("-stubs") ? `${projectName!.slice(0, -6).replace(/-/g, "_")}-stubs` : projectName!.replace(/-/g, "_"));
  const modulePath = module.split(".").join("/");
  const candidates = [
    { path: join(dir, modulePath), isPackage: true },
    { path: join(dir, `${modulePath}.py`), isPackage: false },
    { path: join(dir, "src", modulePath), isPackage: true },
    { path: join(dir, "src", `${modulePath}.py`), isPackage: false },
  ].filter((c) => (c.isPackage ? isDirectory(c.path) : isFile(c.path)));
  if (candidates.length !== 1) {
    const found = candidates.map((c) => relative(dir, c.path)).join(", ");
    throw new VersionUtilError("VU_VERSION_FILE", candidates.length ? `flit finds more than one place for module ${module}: ${found}` : `flit finds no module ${module} (${modulePath}/ or ${modulePath}.py, at the top or under src/)`, {
      hint: candidates.length ? "keep one of them, as flit requires" : "name the module in [tool.flit.module] name, or move it where flit looks",
      data: { module },
    });
  }
  const [only] = candidates as [(typeof candidates)[number]];
  const files = only.isPackage
    ? ["__version__.py", "_version.py", "version.py", "__init__.py"].map((f) => join(only.path, f)).filter(isFile)
    : [only.path];
  let winner: string | undefined;
  for (const file of files) if (FLIT_VERSION.test(readFileSync(file, "utf8"))) winner = file;
  if (!winner) {
    throw new VersionUtilError("VU_VERSION_FILE", `no __version__ = "..." string in ${files.map((f) => relative(dir, f)).join(", ")}: flit would import module ${module} to find it`, {
      hint: 'write the version as a plain string assignment at the top level, __version__ = "1.2.3", which flit and version-util read without running code',
      data: { module },
    });
  }
  return { kind: "python", file: winner, pattern: FLIT_VERSION };
}

// A top-level `__version__ = "1.2.3"` (optionally annotated) whose value is the string alone, as flit's AST check
// wants (an expression such as "1.2" + "3" is not one).
const FLIT_VERSION = /^__version__[ \t]*(?::[^=\n]*)?=[ \t]*(['"])(?<version>[^'"\n]*)\1[ \t]*(?:#[^\n]*)?\r?$/m;

// pdm-backend's source = "file": re.search(r"^__version__\s*=\s*[\"'](.+?)[\"']\s*(?:#.*)?$", text, re.M), with
// Python's ^, $, . and \s (only \n ends a line for them, and \s is Python's white space).
const PY_WS = PYTHON_WHITESPACE;
const PDM_FILE_VERSION = new RegExp(
  `(?:(?<![\\s\\S])|(?<=\\n))__version__${PY_WS}*=${PY_WS}*["'](?<version>[^\\n]+?)["']${PY_WS}*(?:#[^\\n]*)?(?=\\n|(?![\\s\\S]))`,
);

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function toml(file: string, table: readonly string[]): VersionLocation {
  return { kind: "toml", file, table };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A version key's value: undefined when absent; any other TOML type than a string is refused by name. */
function versionString(value: unknown, where: string, path: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  const type = value instanceof Date ? "date" : Array.isArray(value) ? "array" : typeof value === "object" ? "table" : typeof value;
  throw new VersionUtilError("VU_VERSION_NOT_STRING", `${where} in ${path} is a TOML ${type}, not a string`, {
    hint: 'write the version in quotes, as a TOML string: version = "1.2.3", not version = 1.2.3',
    data: { path, key: where, type },
  });
}

function checkAgree(a: string, aWhere: string, b: string, bWhere: string, details: { hint: string }): void {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa && pb && pa.normalized === pb.normalized) return;
  throw new VersionUtilError("VU_VERSION_CONFLICT", `${aWhere} is "${a}" but ${bWhere} is "${b}"`, {
    ...details,
    data: { versions: { [aWhere]: a, [bWhere]: b } },
  });
}

const DUNDER_FILES = ["__init__.py", "__about__.py", "_version.py", "version.py"];

/**
 * A static version must not be contradicted by a literal `__version__ = "..."` in the package; returns the
 * places that agree (a bump keeps them agreeing).
 */
function checkDunderVersions(declaration: VersionDeclaration, data: Table): VersionLocation[] {
  const agreeing: VersionLocation[] = [];
  if (!declaration.name || declaration.declared === undefined) return agreeing;
  const importName = declaration.name.replace(/[-.]+/g, "_").toLowerCase();
  const packages = tableAt(data, ["tool", "hatch", "build", "targets", "wheel"])?.packages;
  const dirs = [join("src", importName), importName, ...(Array.isArray(packages) ? packages.filter((p) => typeof p === "string") : [])];
  for (const pkg of new Set(dirs.map((d) => join(declaration.dir, d)))) {
    for (const name of DUNDER_FILES) {
      const file = join(pkg, name);
      if (!existsSync(file)) continue;
      const location = { kind: "python" as const, file, pattern: assignmentPattern("__version__") };
      let found: string;
      try {
        found = findVersionInFile(location, declaration.dir).value;
      } catch {
        continue; // no literal __version__ here (e.g. importlib.metadata): nothing can disagree
      }
      const where = declaration.source === "poetry" ? "[tool.poetry] version" : "[project] version";
      const dunder = `__version__ in ${relative(declaration.dir, file)}`;
      checkAgree(declaration.declared, where, found, dunder, {
        hint: `set ${dunder} to "${declaration.declared}" (version-util bump then keeps both), or make it read importlib.metadata.version("${declaration.name}")`,
      });
      agreeing.push(location);
    }
  }
  return agreeing;
}
