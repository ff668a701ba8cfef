import { type CliSpec, JSON_OPTION } from "@pypi-workflows/cli-kit";
import pkg from "../package.json" with { type: "json" };

export const CLI_SPEC: CliSpec = {
  name: "pypi-workflows",
  version: pkg.version,
  description: "rehearse a Python project's release locally: the reusable workflows, run for real against a local index",
  globalOptions: { json: JSON_OPTION },
  defaultCommand: "rehearse",
  commands: [
    {
      name: "rehearse",
      summary: "run the release workflows on a project, for real, against a local (or your) index",
      description:
        "Clones the committed project into a temporary directory (your repository is only read) and runs the same " +
        "YAML the release runs, through the local job runner: build.yml (version, build, dist-check, install " +
        "check), then testpypi.yml (push) or pypi.yml (tag) uploading with twine and verifying by installing from the " +
        "index, then for a tag release.yml as a dry run that prints the release it would create. With --workflow, your " +
        "own caller workflow runs as written instead, its jobs and the reusable workflows it calls. Default index: a " +
        "throwaway pypiserver on 127.0.0.1, stopped at the end. With --index-url/--upload-url, credentials come " +
        "from PYPI_WORKFLOWS_INDEX_USERNAME/PASSWORD or TWINE_USERNAME/TWINE_PASSWORD, never printed.",
      args: [{ name: "project", description: "the project directory holding pyproject.toml (default: .)" }],
      options: {
        event: { type: "string", description: "push (a dev version to the TestPyPI stand-in) or tag (a release)", default: "push", valueName: "EVENT" },
        tag: { type: "string", description: "with --event tag: the tag vX.Y.Z (created in the clone at HEAD when missing)", valueName: "TAG" },
        "index-url": { type: "string", description: "the Simple API root of an index you run (instead of a throwaway one)", valueName: "URL" },
        "upload-url": { type: "string", description: "its upload endpoint (with --index-url)", valueName: "URL" },
        "deps-index-url": {
          type: "string",
          description: "where the project's dependencies come from for the install checks (default: PyPI, as on GitHub; offline in this repository: the rehearsal's index)",
          valueName: "URL",
        },
        workflow: {
          type: "string",
          description:
            "your caller workflow (e.g. .github/workflows/release.yml), run as written instead of the reusable workflows one by one: " +
            "its calls get the index and release.yml's dry run, the secrets it passes to them the index's password",
          valueName: "FILE",
        },
        "skip-job": { type: "string", multiple: true, description: "with --workflow: a job taken as passed without running it (your CI jobs)", valueName: "ID" },
        helpers: { type: "string", description: "workspace (this repository's helpers via a local npm registry) or npm", valueName: "SOURCE" },
        import: { type: "string", multiple: true, description: "a module that must import from the built files and the index", valueName: "NAME" },
        "build-isolation": { type: "boolean", description: "build in isolated environments (default: on, except offline in this repository)" },
        "no-build-isolation": { type: "boolean", description: "build with the backends installed in the tools venv" },
        keep: { type: "boolean", description: "keep the run directory (logs, artifacts) after a successful rehearsal too" },
        "max-file-size": {
          type: "string",
          description: "build.yml's max-file-size: the largest file PyPI granted the project, in MiB (default: PyPI's 100)",
          valueName: "MIB",
        },
        "max-project-size": {
          type: "string",
          description: "build.yml's max-project-size: what PyPI granted the project's files together, in GiB (default: PyPI's 10)",
          valueName: "GIB",
        },
        "verify-timeout": { type: "string", description: "seconds verification waits for the index", default: "120", valueName: "SECONDS" },
      },
      examples: [
        "pypi-workflows rehearse . --event push",
        "pypi-workflows rehearse . --event tag --tag v1.0.0",
        "pypi-workflows rehearse . --workflow .github/workflows/release.yml --skip-job lint --skip-job test",
        "TWINE_PASSWORD=... pypi-workflows rehearse . --index-url http://127.0.0.1:8080/simple/ --upload-url http://127.0.0.1:8080/",
      ],
    },
  ],
};
