import { runProcess, type ProcessResult } from "@pypi-workflows/cli-kit";
import { compareVersions, isValidVersion } from "@pypi-workflows/version-util";
import { checkEnv } from "./process-env.js";
import type { VenvLayout } from "./venv-layout.js";

/** What the installed distribution says about itself, read with importlib.metadata inside the environment. */
export interface InstalledDistribution {
  name: string;
  version: string;
  /** Top-level import packages from RECORD (below a namespace package: its packages); else top_level.txt. */
  imports: string[];
  entryPoints: { name: string; group: "console_scripts" | "gui_scripts"; value: string }[];
  /** Requires-Dist lines, markers included (the installer evaluates them, extras' markers are false). */
  requires: string[];
}

// Runs inside the fresh environment with -I (no PYTHONPATH, no user site, no cwd on sys.path), so what it
// reads is the installed distribution and nothing from the checkout. Names are compared PEP 503-normalized.
const INSPECT = String.raw`
import json, re, sys
from importlib.metadata import distributions
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
found = [d for d in distributions() if norm(d.metadata["Name"] or "") == norm(sys.argv[1])]
if not found:
    print(json.dumps({"error": "not installed: " + sys.argv[1]})); sys.exit(3)
d = found[0]
def from_record(files):
    # Top-level modules and packages; inside a namespace package (no __init__.py) the packages below it,
    # since importing the bare namespace proves nothing.
    paths = [str(f).replace("\\", "/") for f in files]
    inits = {p[: -len("/__init__.py")] for p in paths if p.endswith("/__init__.py")}
    names = set()
    for p in paths:
        parts = p.split("/")
        if parts[0] in ("..", "", "__pycache__") or parts[0].endswith((".dist-info", ".data", ".egg-info")):
            continue
        if not re.search(r"\.(py|so|pyd)$", parts[-1]):
            continue
        module = parts[:-1] + [parts[-1].split(".")[0]]
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in inits:
                module = parts[:i]
                break
        if module[-1] != "__init__" and all(m.isidentifier() for m in module):
            names.add(".".join(module))
    return sorted(names)
top = d.read_text("top_level.txt") or ""
imports = from_record(d.files) if d.files else sorted({l.strip() for l in top.splitlines() if l.strip().isidentifier()})
eps = [{"name": e.name, "group": e.group, "value": e.value} for e in d.entry_points if e.group in ("console_scripts", "gui_scripts")]
print(json.dumps({"name": d.metadata["Name"], "version": d.version, "imports": imports, "entryPoints": eps, "requires": d.requires or []}))
`;

export interface InspectOutcome {
  result: ProcessResult;
  distribution?: InstalledDistribution;
}

export async function inspectInstalled(layout: VenvLayout, name: string, cwd: string, env: NodeJS.ProcessEnv): Promise<InspectOutcome> {
  const result = await runProcess(layout.python, ["-I", "-c", INSPECT, name], { cwd, env: checkEnv(env, layout), timeoutMs: 120_000 });
  if (result.exitCode !== 0) return { result };
  const line = result.stdout.trim().split("\n").pop() ?? "";
  return { result, distribution: JSON.parse(line) as InstalledDistribution };
}

/** PEP 440 equality (1.0 == 1.0.0), falling back to text equality for versions that are not PEP 440. */
export function sameVersion(a: string, b: string): boolean {
  if (isValidVersion(a) && isValidVersion(b)) return compareVersions(a, b) === 0;
  return a.trim() === b.trim();
}

// At least two numeric parts, then PEP 440 suffixes.
const VERSION_WORD = String.raw`v?\d+(?:\.\d+)+(?:[-_.]?[a-z]+\d*)*(?:\+[a-z0-9.]+)?`;
// A word of its own ("mytool 1.2.3"), or glued to a name by a hyphen ("mytool-1.2.3") but then not followed by
// more of a word: "macosx-10.9-x86_64" (a platform tag) is not a version.
const VERSION_IN_OUTPUT = new RegExp(String.raw`(?<![\w.+-])${VERSION_WORD}|(?<=[a-z0-9]-)${VERSION_WORD}(?![-\w]|\.\w)`, "gi");

/** Version-looking words in a program's output. */
export function findVersions(output: string): string[] {
  const words = output.match(VERSION_IN_OUTPUT) ?? [];
  return words.map((w) => w.replace(/[.,;:)]+$/, "")).filter((w) => isValidVersion(w));
}
