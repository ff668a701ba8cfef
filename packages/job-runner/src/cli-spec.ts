import { type CliSpec, JSON_OPTION } from "@pypi-workflows/cli-kit";

/** The job-runner CLI's one definition: parsing, --help and the docs' reference come from it. */
export const CLI_SPEC: CliSpec = {
  name: "job-runner",
  version: "0.1.0",
  description: "run a GitHub Actions workflow's jobs on this machine (third-party actions replaced by local equivalents)",
  globalOptions: { json: JSON_OPTION },
  defaultCommand: "run",
  commands: [
    {
      name: "run",
      summary: "run a workflow's jobs (all, or --job and the jobs it needs) and report each step",
      args: [{ name: "workflow", description: "the workflow file (.github/workflows/NAME.yml)", required: true }],
      options: {
        job: { type: "string", multiple: true, valueName: "ID", description: "a job to run, with the jobs it needs (default: all)" },
        input: { type: "string", multiple: true, valueName: "NAME=VALUE", description: "a workflow_call input" },
        secret: {
          type: "string", multiple: true, valueName: "NAME",
          description: "a secret, read from the environment variable of the same name (never from argv)",
        },
        var: { type: "string", multiple: true, valueName: "NAME=VALUE", description: "a configuration variable (vars.NAME)" },
        event: { type: "string", valueName: "NAME", description: "the event name", default: "push" },
        ref: { type: "string", valueName: "REF", description: "github.ref", default: "refs/heads/main" },
        sha: { type: "string", valueName: "SHA", description: "github.sha (default: HEAD of --source)" },
        repository: { type: "string", valueName: "OWNER/NAME", description: "github.repository", default: "local/project" },
        source: { type: "string", valueName: "DIR", description: "what actions/checkout brings in (a git repository or a directory)" },
        "workflows-dir": { type: "string", valueName: "DIR", description: "where reusable workflows are looked up (default: the workflow's directory)" },
        "run-dir": { type: "string", valueName: "DIR", description: "where workspaces, artifacts, logs and result.json go (default: a temp directory)" },
        python: { type: "string", valueName: "PATH", description: "the interpreter setup-python provides (its directory goes first on PATH)" },
        "publish-url": {
          type: "string", valueName: "URL",
          description: "where pypa/gh-action-pypi-publish uploads when the workflow names no local index (password from JOB_RUNNER_PUBLISH_PASSWORD)",
        },
        "npm-packages": {
          type: "string", valueName: "DIR",
          description: "start a local npm registry, publish the built packages of DIR (e.g. packages/) to it, and point npx at it",
        },
      },
      examples: [
        "job-runner run .github/workflows/build.yml --source examples/hatch-static --python .tools/python/bin/python",
        "TOKEN=x job-runner run ci.yml --job test --secret TOKEN --input python-version=3.13 --json",
      ],
    },
    { name: "substitutes", summary: "list the third-party actions the runner replaces, and with what" },
  ],
};
