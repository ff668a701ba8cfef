/** The hardening rules, each with why it exists and how to comply (REFERENCE.md section 7). */
export const RULES = {
  "top-permissions": {
    summary: "The workflow starts from no permissions: `permissions: {}` at the top",
    fix: "Add `permissions: {}` at the workflow level and grant each job only what it needs",
  },
  "job-permissions": {
    summary: "Every job declares its permissions, and only read scopes (contents: write only for the release job)",
    fix: "Add a `permissions:` block to the job with the least it needs (often `{}` or `contents: read`)",
  },
  "id-token-job": {
    summary: "id-token: write only in a job with an environment whose steps are download + the pypa publish action",
    fix: "Move every other step out of the upload job; give it `environment:`; keep id-token: write nowhere else",
  },
  "pinned-uses": {
    summary: "Every `uses:` is pinned to a full 40-hex commit SHA with a `# vX.Y.Z` comment",
    fix: "Replace the tag or branch with the release's commit SHA and add the version as a comment",
  },
  "no-expression-in-run": {
    summary: "No `${{ }}` inside `run:` (template injection): values arrive through `env:`",
    fix: "Set the value in the step's `env:` and read \"$NAME\" in the script",
  },
  "no-secrets-inherit": {
    summary: "No `secrets: inherit`: a called workflow gets only the secrets named for it",
    fix: "Pass each secret explicitly under `secrets:`",
  },
  "no-tojson-secrets": {
    summary: "No `toJSON(secrets)`: it exposes every secret at once",
    fix: "Reference the one secret the step needs",
  },
  "no-dangerous-triggers": {
    summary: "Publishing workflows do not run on pull_request_target or workflow_run",
    fix: "Trigger publishing on push, tags or workflow_dispatch; PyPI refuses releases made from pull_request_target",
  },
  "no-cache": {
    summary: "No caches on release paths (cache poisoning): no actions/cache, no setup-* cache inputs",
    fix: "Remove actions/cache and `cache:` inputs; give setup-node `package-manager-cache: false`",
  },
  "timeout-minutes": {
    summary: "Every job with steps has timeout-minutes",
    fix: "Add `timeout-minutes:` to the job (a hung upload otherwise holds a runner for 6 hours)",
  },
  concurrency: {
    summary: "Publishing workflows set a concurrency group (per package and version) for their publishing jobs",
    fix: "Add `concurrency: { group: ...-<name>-<version>, cancel-in-progress: false }` to the job or workflow",
  },
  "checkout-credentials": {
    summary: "actions/checkout runs with persist-credentials: false",
    fix: "Add `with: { persist-credentials: false }` to the checkout step",
  },
  "helper-version": {
    summary: "Helper CLIs are called as `npx --yes @pypi-workflows/NAME@X.Y.Z` with X.Y.Z equal to packages/NAME's version",
    fix: "Use the exact version from the package's package.json (no ranges, no tags)",
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

export type RuleId = keyof typeof RULES;

export interface Finding {
  rule: RuleId;
  file: string;
  /** The job id, when the finding is inside a job. */
  job?: string;
  /** 1-based line, when known. */
  line?: number;
  message: string;
}
