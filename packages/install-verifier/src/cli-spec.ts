import { JSON_OPTION, type CliSpec } from "@pypi-workflows/cli-kit";
import packageJson from "../package.json" with { type: "json" };

/** install-verifier's one CLI definition: parsing, --help and the docs' reference come from it. */
export const CLI_SPEC: CliSpec = {
  name: "install-verifier",
  version: packageJson.version,
  description: "prove that a Python release installs, imports and runs, before and after publishing",
  globalOptions: { json: JSON_OPTION },
  defaultCommand: "verify",
  commands: [
    {
      name: "verify",
      summary: "install the built files (--dist) or the published release (--target/--index-url) in a fresh environment and check it",
      description: [
        "Before publishing, --dist DIR installs the built wheel (and with --sdist a wheel built from the sdist) in a fresh",
        "environment. After publishing, --target/--index-url waits until the index lists NAME==VERSION (with the manifest's",
        "sha256), then installs exactly that from that index with --no-deps, and the dependencies from --deps-index-url in a",
        "separate call. Then: the installed version, every top-level import package (each in a fresh interpreter), every",
        "console/gui script with --version, and the --smoke commands. Exit 1 names the failing step.",
      ].join("\n"),
      options: {
        dist: { type: "string", valueName: "DIR", description: "verify the built files in DIR (before publishing)" },
        sdist: { type: "boolean", description: "with --dist: also build a wheel from the sdist and verify it in a second environment" },
        "no-build-isolation": { type: "boolean", description: "with --sdist: build with the backend installed in the interpreter" },
        target: { type: "string", valueName: "pypi|testpypi", description: "verify the release published on this index" },
        "index-url": { type: "string", valueName: "URL", description: "verify the release published on this simple index" },
        name: { type: "string", valueName: "NAME", description: "the project (default: the manifest's)" },
        version: { type: "string", valueName: "VERSION", description: "the version (default: the manifest's)" },
        manifest: { type: "string", valueName: "FILE", description: "dist-check's manifest: the files and sha256 that must be published and installed" },
        timeout: { type: "string", valueName: "SECONDS", description: "how long to wait for the index to list the release", default: "1200" },
        "deps-index-url": { type: "string", valueName: "URL", description: "where dependencies come from", default: "PyPI" },
        python: { type: "string", valueName: "PY", description: "the interpreter to create environments from", default: "python3" },
        installer: { type: "string", valueName: "uv|pip|auto", description: "uv, or venv --without-pip with the host's pip", default: "auto" },
        import: { type: "string", multiple: true, valueName: "NAME", description: "import this package instead of the wheel's top-level ones" },
        "entry-point-args": { type: "string", multiple: true, valueName: "SCRIPT=ARGS", description: "run SCRIPT with ARGS instead of --version" },
        smoke: { type: "string", multiple: true, valueName: "COMMAND", description: "a shell command to run in the environment (its bin first on PATH)" },
      },
      examples: [
        "install-verifier verify --dist dist --sdist",
        "install-verifier verify --target testpypi --name mypkg --version 1.2.3.dev4 --manifest manifest.json",
        "install-verifier verify --index-url https://example.org/simple/ --name mypkg --version 1.2.3 --timeout 600",
      ],
    },
  ],
};
