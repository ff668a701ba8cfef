import { execFile } from "node:child_process";
import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { EXAMPLES_DIR, git, pythonTools, writeTree } from "@pypi-workflows/testkit";

const run = promisify(execFile);

/** Small real projects of several shapes, built by the real `python -m build --no-isolation`. */
export interface GoodProject {
  id: string;
  backend: string;
  files?: Record<string, string>;
  example?: string;
  env?: Record<string, string>;
  /** Retag the wheel with a platform tag after building (wheel tags, from the tools venv). */
  platformTag?: string;
}

const README_MD = "# Demo\n\nBuilt for dist-check's corpus.\n";

export const GOOD_PROJECTS: GoodProject[] = [
  { id: "example-hatch-static", backend: "hatchling (example, package data)", example: "hatch-static" },
  { id: "example-scm-dynamic", backend: "setuptools + setuptools-scm (example)", example: "scm-dynamic", env: { SETUPTOOLS_SCM_PRETEND_VERSION: "1.4.0" } },
  {
    id: "setuptools-package-data",
    backend: "setuptools (package data, rst README)",
    files: {
      "pyproject.toml": `[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "st-data-demo"\nversion = "2.0.1"\ndescription = "setuptools with package data"\nreadme = "README.rst"\nlicense = "Apache-2.0"\nlicense-files = ["LICENSE"]\nclassifiers = ["Programming Language :: Python :: 3", "Topic :: Utilities"]\ndependencies = ["packaging>=21"]\n\n[project.urls]\nSource = "https://example.com/st-data-demo"\n\n[tool.setuptools.package-data]\nst_data_demo = ["*.json"]\n`,
      "README.rst": "st-data-demo\n============\n\nA *reStructuredText* README with a list:\n\n- one\n- two\n",
      LICENSE: "Apache License 2.0 (text elided)\n",
      "src/st_data_demo/__init__.py": "VALUE = 1\n",
      "src/st_data_demo/table.json": '{"a": 1}\n',
    },
  },
  {
    id: "flit-core",
    backend: "flit-core",
    files: {
      "pyproject.toml": `[build-system]\nrequires = ["flit_core>=3.12"]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "flit-demo"\nversion = "0.3.0"\ndescription = "flit-core demo"\nreadme = "README.md"\nlicense = "MIT"\nlicense-files = ["LICENSE"]\nclassifiers = ["Programming Language :: Python :: 3"]\n`,
      "README.md": README_MD,
      LICENSE: "MIT License\n",
      "flit_demo/__init__.py": '"""flit demo."""\n__version__ = "0.3.0"\n',
      "flit_demo/data.txt": "data\n",
    },
  },
  {
    id: "hatchling-platform-hook",
    backend: "hatchling (custom build hook, inferred tag, retagged manylinux)",
    // The inferred tag is linux_<arch>, which PyPI refuses (DC_WHEEL_PLATFORM_TAG); a real release repairs the
    // wheel with auditwheel, which retags it manylinux_*: the retag stands in for that step.
    platformTag: "manylinux_2_17_x86_64",
    files: {
      "pyproject.toml": `[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "hatch-plat-demo"\nversion = "0.9.0rc1"\ndescription = "platform wheel"\nreadme = "README.md"\nlicense = "MIT"\n\n[tool.hatch.build.targets.wheel]\npackages = ["src/hatch_plat_demo"]\n\n[tool.hatch.build.targets.wheel.hooks.custom]\n`,
      "hatch_build.py": "from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n\n\nclass CustomHook(BuildHookInterface):\n    def initialize(self, version, build_data):\n        build_data['pure_python'] = False\n        build_data['infer_tag'] = True\n",
      "README.md": README_MD,
      "src/hatch_plat_demo/__init__.py": "X = 1\n",
    },
  },
  {
    id: "setuptools-retagged",
    backend: "setuptools, retagged with wheel tags --platform-tag",
    platformTag: "manylinux_2_17_x86_64",
    files: {
      "pyproject.toml": `[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "retag-demo"\nversion = "1.0.0.post1"\ndescription = "retagged"\nreadme = "README.md"\nlicense = "MIT"\n`,
      "README.md": README_MD,
      "retag_demo/__init__.py": "X = 2\n",
    },
  },
];

/** Builds one project into `outDir/<id>/` and returns the file paths. */
export async function buildGood(project: GoodProject, workDir: string, outDir: string): Promise<string[]> {
  const tools = pythonTools();
  const src = join(workDir, project.id);
  if (project.example) cpSync(join(EXAMPLES_DIR, project.example), src, { recursive: true, filter: (p) => !/[\\/](dist|build|__pycache__|[^\\/]+\.egg-info)$/.test(p) });
  else writeTree(src, project.files ?? {});
  git(src, ["init", "-q", "-b", "main"]);
  const dist = join(outDir, project.id);
  const env = { ...process.env, PATH: tools.path(), ...project.env };
  await run(tools.python, ["-m", "build", "--no-isolation", "--outdir", dist, src], { cwd: src, env });
  if (project.platformTag) {
    const wheel = readdirSync(dist).find((f) => f.endsWith(".whl"))!;
    await run(tools.bin("wheel"), ["tags", "--remove", "--platform-tag", project.platformTag, join(dist, wheel)], { cwd: dist, env });
  }
  return readdirSync(dist).sort().map((f) => join(dist, f));
}
