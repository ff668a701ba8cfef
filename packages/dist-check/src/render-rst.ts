import { EnvironmentError, runProcess } from "@pypi-workflows/cli-kit";
import { PythonUnusableError } from "./errors.js";

export type RstResults = { available: true; results: Map<string, { ok: boolean; message: string }> } | { available: false; reason: string };

// readme_renderer.rst.render is what twine check and PyPI use; it returns None when docutils reports errors.
const SCRIPT = `
import io, json, sys
try:
    from readme_renderer.rst import render
except Exception as error:
    print(json.dumps({"unavailable": "readme_renderer is not importable: %s" % error}))
    raise SystemExit(0)
out = {}
for key, text in json.load(sys.stdin).items():
    stream = io.StringIO()
    ok = render(text, stream=stream) is not None
    out[key] = {"ok": ok, "message": stream.getvalue().strip()}
print(json.dumps({"results": out}))
`;

/**
 * Renders reStructuredText descriptions with readme_renderer in one Python call. With an explicit `python`
 * that cannot run, throws (exit 2); otherwise a missing Python or readme_renderer is reported as unavailable.
 */
export async function renderRst(docs: Map<string, string>, options: { python?: string; cwd: string; env: NodeJS.ProcessEnv }): Promise<RstResults> {
  const candidates = options.python ? [options.python] : ["python3", "python"];
  let lastReason = "no python3 or python on PATH";
  for (const python of candidates) {
    let result: Awaited<ReturnType<typeof runProcess>>;
    try {
      result = await runProcess(python, ["-c", SCRIPT], { cwd: options.cwd, env: options.env, input: JSON.stringify(Object.fromEntries(docs)), timeoutMs: 120_000 });
    } catch (error) {
      if (options.python) throw new PythonUnusableError(python, (error as Error).message);
      if (error instanceof EnvironmentError) continue;
      throw error;
    }
    const parsed = parseOutput(result.stdout);
    if (result.exitCode !== 0 || !parsed) {
      lastReason = `${python} failed: ${result.stderr.trim().split("\n").pop() ?? `exit ${result.exitCode}`}`;
      if (options.python) throw new PythonUnusableError(python, lastReason);
      continue;
    }
    if ("unavailable" in parsed) {
      lastReason = `${python}: ${parsed.unavailable}`;
      continue;
    }
    return { available: true, results: new Map(Object.entries(parsed.results)) };
  }
  return { available: false, reason: lastReason };
}

function parseOutput(stdout: string): { unavailable: string } | { results: Record<string, { ok: boolean; message: string }> } | undefined {
  try {
    return JSON.parse(stdout.trim().split("\n").pop() ?? "");
  } catch {
    return undefined;
  }
}
