import { JSON_OPTION, type CliSpec, type OptionSpec } from "@pypi-workflows/cli-kit";
import packageJson from "../package.json" with { type: "json" };

const PROJECT: OptionSpec = { type: "string", valueName: "DIR", description: "the project directory (holding pyproject.toml)", default: "." };

/** version-util's one CLI definition: parsing, --help and the docs' CLI reference come from it. */
export const CLI_SPEC: CliSpec = {
  name: "version-util",
  version: packageJson.version,
  description: "PEP 440 versions for Python releases: tags, the project's version, bumps and unique dev versions.",
  globalOptions: { json: JSON_OPTION },
  commands: [
    {
      name: "normalize",
      summary: "print the canonical PEP 440 form of a version",
      args: [{ name: "version", description: "a version, e.g. V1.2.3-RC.1", required: true }],
      examples: ["version-util normalize V1.2.3-RC.1   # 1.2.3rc1"],
    },
    {
      name: "from-tag",
      summary: "the version a release tag stands for (outputs: version, is-prerelease)",
      description:
        "The version a release tag stands for. refs/tags/ and a v prefix are allowed; the tag must be PEP 440 with at least three release numbers and no local part.",
      args: [{ name: "tag", description: "a tag such as v1.2.3, V1.2.3-rc.1 or refs/tags/v1.2.3", required: true }],
      examples: ["version-util from-tag v1.2.3-rc.1   # 1.2.3rc1", 'version-util from-tag "$GITHUB_REF"'],
    },
    {
      name: "current",
      summary: "the project's version and where it comes from (outputs: version, source, name)",
      description:
        "Reads the version from [project] version, [tool.poetry] version, [tool.hatch.version] path, setuptools attr:/file:, or git tags (setuptools-scm, hatch-vcs).",
      options: { project: PROJECT },
    },
    {
      name: "check-tag",
      summary: "exit 0 when a tag matches the project's version (outputs: version, is-prerelease)",
      description:
        "Exit 0 when the tag's version equals the project's (normalized), else exit 1 naming both. For projects versioned from git tags the tag must be valid and point at HEAD.",
      args: [{ name: "tag", description: "the release tag, e.g. v1.2.3 or refs/tags/v1.2.3", required: true }],
      options: { project: PROJECT },
    },
    {
      name: "bump",
      summary: "raise the version as hatch's standard scheme does, and write it where it lives",
      description:
        "Segments: major, minor, micro/patch/fix, a/alpha, b/beta, c/rc/pre/preview, post/rev/r, dev, release, comma-separated combinations (minor,rc), or an explicit higher version. Only the version's bytes change. Projects versioned from git tags change nothing: the tag to create is printed.",
      args: [{ name: "segments", description: "e.g. patch, minor,rc or 2.0.0", required: true }],
      options: {
        project: PROJECT,
        "dry-run": { type: "boolean", description: "print the new version and write nothing" },
      },
      examples: ["version-util bump minor,rc   # 1.2.3 -> 1.3.0rc0", "version-util bump release --dry-run"],
    },
    {
      name: "dev-version",
      summary: "a unique {base}.devN for this push (outputs: version, base, dev-number, apply, env-name)",
      description:
        "The version a push publishes to a test index: unique there (the index is asked which dev numbers exist) and sorted after every earlier push. Apply it with --write (static versions, CI working copy only) or the environment variable its env-name output names (scm projects: SETUPTOOLS_SCM_PRETEND_VERSION, PDM_BUILD_SCM_VERSION for pdm-backend).",
      options: {
        project: PROJECT,
        target: { type: "string", valueName: "pypi|testpypi", description: "the index to ask (or --index-url)" },
        "index-url": { type: "string", valueName: "URL", description: "a Simple API root to ask, like pip's --index-url" },
        write: { type: "boolean", description: "set the static version in the working copy (never commit it)" },
      },
      examples: ["version-util dev-version --target testpypi --write"],
    },
  ],
};
