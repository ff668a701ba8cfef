import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pythonTools, tempDir } from "@pypi-workflows/testkit";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

export type FixtureName =
  | "good"
  | "import-error"
  | "missing-data"
  | "crash-script"
  | "missing-target"
  | "wrong-version"
  | "with-dep"
  | "dep-only"
  | "namespace"
  | "sdist-only"
  | "glued-version";

export interface BuiltFixture {
  /** A directory with this fixture's wheel and sdist only. */
  distDir: string;
  wheel: string;
  sdist: string;
}

/**
 * Builds fixture projects with the real `python -m build --no-isolation --sdist --wheel` (both from the source
 * tree, so a file left out of the sdist is still in the wheel), in parallel, from a temp copy of each.
 */
export async function buildFixtures<N extends FixtureName>(names: readonly N[]): Promise<Record<N, BuiltFixture>> {
  const tools = pythonTools();
  const root = tempDir("iv-fixtures-");
  const built = await Promise.all(
    names.map(async (name) => {
      const project = join(root, "src", name);
      cpSync(join(FIXTURES, name), project, { recursive: true });
      const distDir = join(root, "dist", name);
      mkdirSync(distDir, { recursive: true });
      await promisify(execFile)(tools.python, ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", distDir, project], {
        cwd: project,
        env: { ...process.env, PATH: tools.path() },
      });
      const files = readdirSync(distDir);
      const pick = (suffix: string) => join(distDir, files.find((f) => f.endsWith(suffix))!);
      return [name, { distDir, wheel: pick(".whl"), sdist: pick(".tar.gz") }] as const;
    }),
  );
  return Object.fromEntries(built) as Record<N, BuiltFixture>;
}
